// npm run bench:build — what corosplit adds to a build. On a generated project of N modules (a few
// generators each, imports between them), in one run, alternating the variants round by round:
//   - Vite 8 `vite build` without the plugin, and with corosplit/vite;
//   - TypeScript 6 `tsc -p` (type check + emit), and `corosplit build` (type check + lowered emit).
// Each pair's outputs are run and must print the same checksum. The table gives medians and ratios.
//
//   node bench/build.mjs [--modules N] [--rounds R] [--json FILE] [--keep]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const MODULES = Number(flag('--modules', '1000'));
const ROUNDS = Number(flag('--rounds', '5'));
const jsonOut = flag('--json', undefined);
if (!(MODULES >= 2) || !(ROUNDS >= 1)) {
  console.error('usage: node bench/build.mjs [--modules N>=2] [--rounds R>=1] [--json FILE] [--keep]');
  process.exit(2);
}

// ---- the project -------------------------------------------------------------------------------
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-bench-build-'));
fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
// The project resolves corosplit (and Vite, through it) from this repository.
fs.symlinkSync(repo, path.join(dir, 'node_modules', 'corosplit'), 'dir');
for (const dep of ['vite', 'typescript']) fs.symlinkSync(path.join(repo, 'node_modules', dep), path.join(dir, 'node_modules', dep), 'dir');
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-build', private: true, type: 'module' }));
fs.writeFileSync(
  path.join(dir, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, rootDir: 'src', outDir: 'out', types: [] }, include: ['src'] }),
);
for (let i = 0; i < MODULES; i++) {
  const dep = i > 0 ? i - 1 - (i % 7 === 0 ? Math.min(i - 1, 3) : 0) : -1;
  fs.writeFileSync(
    path.join(dir, 'src', `m${i}.ts`),
    `${dep >= 0 ? `import { range${dep}, pairs${dep} } from './m${dep}.js';\n` : ''}
export interface Item${i} { id: number; label: string }

export function* range${i}(n: number): Generator<number> {
  for (let k = 0; k < n; k++) yield k * ${(i % 5) + 1};
}

export function* pairs${i}<T>(xs: Iterable<T>): Generator<[T, T]> {
  let prev: T | undefined;
  let first = true;
  for (const x of xs) {
    if (!first) yield [prev as T, x];
    prev = x;
    first = false;
  }
}

export function* items${i}(n: number): Generator<Item${i}, number> {
  let made = 0;
  try {
    for (const k of range${i}(n)) {
      yield { id: k, label: \`m${i}-\${k}\` };
      made++;
    }
  } finally {
    made += 0;
  }
  return made;
}

export function check${i}(): number {
  let s = 0;
  for (const [a, b] of pairs${i}(range${i}(6))) s = (s * 31 + a + b) | 0;
  for (const it of items${i}(3)) s = (s + it.id + it.label.length) | 0;
${dep >= 0 ? `  for (const [a, b] of pairs${dep}(range${dep}(3))) s = (s ^ (a * 7 + b)) | 0;\n` : ''}  return s;
}
`,
  );
}
fs.writeFileSync(
  path.join(dir, 'src', 'index.ts'),
  `${Array.from({ length: MODULES }, (_, i) => `import { check${i} } from './m${i}.js';`).join('\n')}
let sum = 0;
${Array.from({ length: MODULES }, (_, i) => `sum = (sum * 33 + check${i}()) | 0;`).join('\n')}
console.log(sum);
`,
);

/** How many generator functions the .js files of a folder contain (parsed: strings and comments do not count). */
const ts = (await import('typescript')).default;
function generatorsIn(folder) {
  let n = 0;
  for (const f of fs.readdirSync(folder, { recursive: true })) {
    if (!String(f).endsWith('.js')) continue;
    const sf = ts.createSourceFile(f, fs.readFileSync(path.join(folder, f), 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    const visit = (node) => {
      if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) && node.asteriskToken) n++;
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return n;
}

// ---- the variants ------------------------------------------------------------------------------
const vite = await import(pathToFileURL(path.join(repo, 'node_modules/vite/dist/node/index.js')).href);
const corosplitVite = (await import(pathToFileURL(path.join(repo, 'dist/transformer/plugins/vite.js')).href)).default;

async function viteBuild(withPlugin) {
  const outDir = path.join(dir, withPlugin ? 'vite-corosplit' : 'vite-plain');
  await vite.build({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    plugins: withPlugin ? [corosplitVite()] : [],
    build: { ssr: path.join(dir, 'src/index.ts'), outDir, emptyOutDir: true, minify: false, sourcemap: false },
  });
  return path.join(outDir, 'index.js');
}

function spawnBuild(command, cmdArgs, out) {
  fs.rmSync(path.join(dir, 'out'), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [command, ...cmdArgs], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(command)} ${cmdArgs.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  fs.rmSync(path.join(dir, out), { recursive: true, force: true });
  fs.renameSync(path.join(dir, 'out'), path.join(dir, out));
  return path.join(dir, out, 'index.js');
}

const variants = [
  { name: 'vite build', group: 'vite', run: () => viteBuild(false) },
  { name: 'vite build + corosplit', group: 'vite', run: () => viteBuild(true) },
  { name: 'tsc -p (TypeScript 6)', group: 'tsc', run: () => spawnBuild(path.join(repo, 'node_modules/typescript/bin/tsc'), ['-p', 'tsconfig.json'], 'tsc-out') },
  { name: 'corosplit build', group: 'tsc', run: () => spawnBuild(path.join(repo, 'bin/corosplit.js'), ['build', '-p', 'tsconfig.json'], 'corosplit-out') },
];

const times = new Map(variants.map((v) => [v.name, []]));
const outputs = new Map();
process.stderr.write(`bench:build: ${MODULES} modules in ${dir}; ${ROUNDS} rounds (+1 warm-up)\n`);
for (let round = 0; round <= ROUNDS; round++) {
  // Alternate the order so neither side always runs first.
  const order = round % 2 ? [...variants].reverse() : variants;
  for (const v of order) {
    const t0 = performance.now();
    const main = await v.run();
    const ms = performance.now() - t0;
    if (round > 0) times.get(v.name).push(ms);
    if (round === 0) {
      const r = spawnSync(process.execPath, [main], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${v.name}: the output failed to run:\n${r.stderr}`);
      outputs.set(v.name, { checksum: r.stdout.trim(), generators: generatorsIn(path.dirname(main)) });
    }
    process.stderr.write(`  round ${round}${round === 0 ? ' (warm-up)' : ''}: ${v.name} ${ms.toFixed(0)} ms\n`);
  }
}

// ---- checks and the table ------------------------------------------------------------------------
const failures = [];
for (const group of ['vite', 'tsc']) {
  const [base, ours] = variants.filter((v) => v.group === group).map((v) => v.name);
  if (outputs.get(base).checksum !== outputs.get(ours).checksum) failures.push(`${ours} printed ${outputs.get(ours).checksum}, ${base} printed ${outputs.get(base).checksum}`);
  if (outputs.get(ours).generators) failures.push(`${ours}: the output still has function*`);
  if (!outputs.get(base).generators) failures.push(`${base}: the output has no function* (is it really the unlowered build?)`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = variants.map((v) => ({ name: v.name, group: v.group, medianMs: median(times.get(v.name)), runsMs: times.get(v.name) }));
const base = (g) => rows.find((r) => r.group === g).medianMs;
console.log(`\n${MODULES} modules, ${MODULES * 3} generators; median of ${ROUNDS} rounds; node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}\n`);
console.log('| build | median | vs baseline |');
console.log('|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.medianMs === base(r.group) ? 'baseline' : `${((r.medianMs / base(r.group) - 1) * 100).toFixed(1)} %`} |`);
console.log(`\nchecksums: ${[...outputs].map(([n, o]) => `${n} = ${o.checksum} (${o.generators} function* left)`).join('; ')}`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ modules: MODULES, rounds: ROUNDS, node: process.version, cpus: os.cpus().length, rows, outputs: Object.fromEntries(outputs) }, null, 2));
if (!args.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
if (failures.length) {
  console.log(`\n!!! ${failures.join('\n!!! ')}`);
  process.exit(1);
}
