#!/usr/bin/env node
// npm run bench:size (and part of npm run bench): output size of the generator lowering.
//
// For every workload in bench/workloads.mjs (its generator code, `gen`, as a module would hold
// it, exporting its functions) and every sample in samples/*.ts, five builds of the same source
// are measured in bytes, each minified as an ES module:
// raw, minified (terser 5: compress + mangle, as a production bundle), and minified + gzip -9.
//   tsc          TypeScript's ES2022 output: generators stay native (the reference: 1.0x)
//   corosplit    transformSource(…, { runtime: 'import' }): the runtime is a package import (corosplit/abi)
//   cs-size      the same with optimize: 'size' (no per-generator next, yield* in the runtime)
//   regenerator  Babel 7 + @babel/plugin-transform-regenerator, helpers imported from
//                @babel/runtime as @babel/plugin-transform-runtime emits them
//   ts-es5       TypeScript, target ES5 + downlevelIteration + importHelpers (tslib)
// Runtimes are left out of every row on purpose: each is one shared package per bundle, not a
// cost per file. Their own sizes are printed once, below the table.
//
// Flags: --json FILE   also write the rows as JSON
//        --filter S    only rows whose name contains S
// Exit status: 1 when a build fails or corosplit's output still contains a generator.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { realPrereqPlugins, regeneratorPrereqs } from './babel-prereqs.mjs';
import { workloads } from './workloads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ts = require('typescript');
const babel = require('@babel/core');
const regenerator = require('@babel/plugin-transform-regenerator');
const { minify } = require('terser');

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const jsonOut = flag('--json');
const filter = flag('--filter');

const dist = path.join(root, 'dist/transformer/index.js');
if (!fs.existsSync(dist)) {
  console.error('bench/size: dist/transformer is missing; run `npm run build` first');
  process.exit(1);
}
const { transformSource } = await import(pathToFileURL(dist).href);

/** @type {{ name: string, source: string, fileName: string }[]} */
const inputs = [
  ...workloads.map((w) => ({ name: w.name, source: w.gen, fileName: `${w.name}.js` })),
  ...fs
    .readdirSync(path.join(root, 'samples'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => ({ name: `samples/${f}`, source: fs.readFileSync(path.join(root, 'samples', f), 'utf8'), fileName: f })),
]
  // samples/task.ts declares Task coroutines: recognising them needs a type checker (corosplit
  // build), and Babel cannot parse its output target; it has no row.
  .filter((i) => i.name !== 'samples/task.ts')
  .filter((i) => !filter || i.name.includes(filter));

const tsc = (src, fileName, target, extra = {}) =>
  ts.transpileModule(src, { fileName, compilerOptions: { target, module: ts.ModuleKind.ESNext, removeComments: false, ...extra } }).outputText;

function corosplitBuild(src, fileName, optimize = 'speed') {
  const out = transformSource(src, { fileName, runtime: 'import', optimize });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.text ?? d.message).join('\n'));
  if (/function\s*\*|\*\s*\[?[\w$]+\]?\s*\(/.test(out.code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')) && /\bfunction\s*\*/.test(out.code)) throw new Error('output still contains a generator');
  return out.code;
}

// Babel's helpers imported from @babel/runtime, one default import per helper, as
// @babel/plugin-transform-runtime emits them (it uses the same addDefault): what a library
// compiled with Babel ships, and what corosplit's `import … from "corosplit/abi"` compares to.
const { addDefault } = require('@babel/helper-module-imports');
const importedHelpers = ({ types: t }) => ({
  pre(file) {
    const added = new Map();
    file.set('helperGenerator', (name) => {
      if (!added.has(name)) added.set(name, addDefault(file.path, `@babel/runtime/helpers/${name}`, { nameHint: name, importedInterop: 'uncompiled' }));
      return t.cloneNode(added.get(name));
    });
  },
});
function regeneratorBuild(src, fileName) {
  const js = fileName.endsWith('.ts') ? tsc(src, fileName, ts.ScriptTarget.ES2022) : src;
  const base = { filename: fileName.replace(/\.ts$/, '.js'), babelrc: false, configFile: false, sourceType: 'module' };
  const pre = babel.transformSync(js, { ...base, plugins: realPrereqPlugins() ?? [regeneratorPrereqs] });
  return babel.transformSync(pre.code, { ...base, plugins: [importedHelpers, regenerator.default ?? regenerator] }).code;
}

const builds = {
  tsc: (s, f) => tsc(s, f, ts.ScriptTarget.ES2022),
  corosplit: corosplitBuild,
  'cs-size': (s, f) => corosplitBuild(s, f, 'size'),
  regenerator: regeneratorBuild,
  'ts-es5': (s, f) => tsc(s, f, ts.ScriptTarget.ES5, { downlevelIteration: true, importHelpers: true }),
};

// Every file is measured as the ES module it ships as: terser may mangle and drop what the module
// keeps private, and what it exports stays. The workloads are scripts, so each input first
// exports its top-level functions and classes (see `exported` below): unused, a generator whose
// helper call is marked pure would be dropped whole. Treating some outputs as scripts instead
// (those with no import line) kept their top-level names unmangled while an output that imports
// its runtime got them mangled: a difference in measurement, not in the code.
async function measure(code) {
  const min = (await minify(code, { module: true, compress: { passes: 2 } })).code ?? '';
  return { raw: Buffer.byteLength(code), min: Buffer.byteLength(min), gzip: zlib.gzipSync(min, { level: 9 }).length };
}

/** `source` plus `export { … }` of its top-level functions and classes not exported already. */
function exported(source, fileName) {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, fileName.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const names = [];
  for (const st of sf.statements) {
    if (!(ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) || !st.name || !st.body && ts.isFunctionDeclaration(st)) continue;
    if (st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    if (!names.includes(st.name.text)) names.push(st.name.text);
  }
  return names.length ? `${source}\nexport { ${names.join(', ')} };\n` : source;
}

const rows = [];
let failed = false;
for (const input of inputs) {
  const row = { name: input.name };
  for (const [variant, build] of Object.entries(builds)) {
    try {
      row[variant] = await measure(build(exported(input.source, input.fileName), input.fileName));
    } catch (e) {
      failed = true;
      row[variant] = null;
      console.error(`bench/size: ${variant} failed on ${input.name}: ${e.message.split('\n')[0]}`);
    }
  }
  rows.push(row);
}

const kb = (n) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} kB` : `${n} B`);
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : '-');
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
console.log('Output size per file, runtimes excluded. min = terser (compress, mangle); gz = min + gzip -9.');
console.log('Ratios are against tsc ES2022 (native generators), min+gz.\n');
const head = ['file', 'tsc min+gz', 'corosplit raw', 'corosplit min+gz', 'cs-size min+gz', 'regenerator min+gz', 'ts-es5 min+gz', 'corosplit/tsc', 'cs-size/tsc', 'regenerator/tsc', 'corosplit/regenerator', 'cs-size/regenerator'];
const table = rows.map((r) => [
  r.name,
  kb(r.tsc?.gzip ?? 0),
  kb(r.corosplit?.raw ?? 0),
  kb(r.corosplit?.gzip ?? 0),
  kb(r['cs-size']?.gzip ?? 0),
  kb(r.regenerator?.gzip ?? 0),
  kb(r['ts-es5']?.gzip ?? 0),
  ratio(r.corosplit?.gzip, r.tsc?.gzip),
  ratio(r['cs-size']?.gzip, r.tsc?.gzip),
  ratio(r.regenerator?.gzip, r.tsc?.gzip),
  ratio(r.corosplit?.gzip, r.regenerator?.gzip),
  ratio(r['cs-size']?.gzip, r.regenerator?.gzip),
]);
const ok = rows.filter((r) => r.corosplit && r['cs-size'] && r.tsc && r.regenerator);
const gm = (a, b) => `${geomean(ok.map((r) => r[a].gzip / r[b].gzip)).toFixed(2)}x`;
table.push(['geomean', '', '', '', '', '', '', gm('corosplit', 'tsc'), gm('cs-size', 'tsc'), gm('regenerator', 'tsc'), gm('corosplit', 'regenerator'), gm('cs-size', 'regenerator')]);
const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(line(head));
console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of table) console.log(line(r));
for (const v of ['corosplit', 'cs-size']) {
  const larger = ok.filter((r) => r[v].gzip > r.regenerator.gzip).map((r) => r.name);
  console.log(`${v === 'corosplit' ? '\n' : ''}Rows where ${v}'s min+gz is larger than regenerator's: ${larger.length ? larger.join(', ') : 'none'}.`);
}

// The shared runtimes, once per bundle.
const runtimeSize = async (file) => measure(fs.readFileSync(file, 'utf8'));
try {
  const gen = path.join(root, 'dist/runtime/generator.js');
  if (fs.existsSync(gen)) {
    const s = await runtimeSize(gen);
    console.log(`corosplit/runtime generator support (dist/runtime/generator.js alone): ${kb(s.min)} min, ${kb(s.gzip)} min+gz`);
  }
  const helper = require.resolve('@babel/helpers/lib/helpers/regenerator.js');
  const s = await runtimeSize(helper);
  console.log(`Babel's regenerator helper (@babel/helpers regenerator.js): ${kb(s.min)} min, ${kb(s.gzip)} min+gz`);
} catch {}

if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify(rows, null, 2)}\n`);
process.exit(failed ? 1 : 0);
