#!/usr/bin/env node
// npm run bench: generator lowering benchmark.
//
// For every workload in bench/workloads.mjs, one process loads five variants of the same program,
// checks that they all return the same checksum, and times them:
//   native       the generator program as written (V8's generators)
//   corosplit    transformSource(program, { fileName, runtime: 'inline' }) from dist/transformer
//   cs-size      the same with optimize: 'size' (smaller output; see docs/reference.md)
//   regenerator  Babel 7 + @babel/plugin-transform-regenerator (inline _regenerator helper), after the
//                for-of/destructuring lowering it needs (bench/babel-prereqs.mjs)
//   ts-es5       TypeScript transpileModule, target ES5 + downlevelIteration (inline __generator)
//   hand         a hand-written iterator class per workload: the ceiling
// Each variant's code is compiled with vm.runInThisContext inside a function wrapper (strict mode),
// so each variant has its own copy of its helpers and its own type feedback. Timing: warm-up runs,
// then --rounds rounds; in every round each variant runs once (the order rotates from round to
// round), and the table reports the median. Ratios are native time / variant time: >1 is faster
// than native.
//
// Flags: --filter NAME[,NAME]  workloads whose name contains NAME
//        --rounds N            timed rounds per variant (default 9)
//        --warmup N            untimed warm-up runs per variant (default 3)
//        --scale X             multiply every workload's size (default 1; the smoke test uses 0.01)
//        --variants a,b        run only these variants (native is always run: it is the reference)
//        --json FILE           also write the results as JSON
//        --dump DIR            write every variant's code to DIR/<workload>.<variant>.js (to debug a mismatch)
//        --list                list the workloads and exit
//        --with-runtime        afterwards run bench/runtime.mjs (Task, chain and frame benchmarks) too;
//                              `npm run bench` passes it
// Exit status: 0 when every variant that ran agrees with native; 1 on a checksum mismatch, a variant
// that threw, a transform that failed, or bad flags. corosplit not being built yet is reported but
// is not a failure.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { realPrereqPlugins, regeneratorPrereqs } from './babel-prereqs.mjs';
import { generatorProgram, handProgram, workloads } from './workloads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const VARIANTS = ['native', 'corosplit', 'cs-size', 'regenerator', 'ts-es5', 'hand'];

// ---------------------------------------------------------------------------------------------
// Flags

function usage(msg) {
  if (msg) console.error(`bench: ${msg}`);
  console.error('usage: node bench/generators.mjs [--filter NAME[,NAME]] [--rounds N] [--warmup N] [--scale X] [--variants a,b] [--json FILE] [--dump DIR] [--list] [--with-runtime]');
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { filter: null, rounds: 9, warmup: 3, scale: 1, json: null, variants: VARIANTS, list: false, dump: null, withRuntime: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const take = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) usage(`${arg} needs a value`);
      return argv[++i];
    };
    const int = (s, min) => {
      const v = Number(s);
      if (!Number.isInteger(v) || v < min) usage(`${arg} wants an integer >= ${min}, got ${s}`);
      return v;
    };
    switch (arg) {
      case '--filter': opts.filter = take().split(',').map((s) => s.trim().toLowerCase()).filter(Boolean); break;
      case '--rounds': opts.rounds = int(take(), 1); break;
      case '--warmup': opts.warmup = int(take(), 0); break;
      case '--scale': {
        const s = take();
        opts.scale = Number(s);
        if (!(opts.scale > 0) || !Number.isFinite(opts.scale)) usage(`--scale wants a positive number, got ${s}`);
        break;
      }
      case '--json': opts.json = take(); break;
      case '--variants': {
        const vs = take().split(',').map((s) => s.trim()).filter(Boolean);
        for (const v of vs) if (!VARIANTS.includes(v)) usage(`unknown variant ${v} (known: ${VARIANTS.join(', ')})`);
        opts.variants = VARIANTS.filter((v) => v === 'native' || vs.includes(v));
        break;
      }
      case '--list': opts.list = true; break;
      case '--dump': opts.dump = take(); break;
      case '--with-runtime': opts.withRuntime = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${arg}`);
    }
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Transformers

/** Loads corosplit's transformSource, or says why it is not available. */
async function loadCorosplit() {
  const dist = path.join(root, 'dist', 'transformer', 'index.js');
  const src = path.join(root, 'transformer', 'index.ts');
  if (!fs.existsSync(dist)) {
    const why = fs.existsSync(src)
      ? `${path.relative(root, dist)} is missing but transformer/index.ts exists: run \`npm run build\` first`
      : `${path.relative(root, dist)} does not exist (the transformer has not landed on this branch yet)`;
    return { available: false, error: false, reason: why };
  }
  let mod;
  try {
    mod = await import(pathToFileURL(dist).href);
  } catch (e) {
    return { available: false, error: true, reason: `importing ${path.relative(root, dist)} threw: ${brief(e)}` };
  }
  if (typeof mod.transformSource !== 'function') {
    return { available: false, error: false, reason: `${path.relative(root, dist)} does not export transformSource yet` };
  }
  return { available: true, error: false, reason: null, transformSource: mod.transformSource };
}

let ts; // typescript, loaded lazily
function loadTypeScript() {
  if (!ts) ts = require('typescript');
  return ts;
}

let babelCache;
function babelTools() {
  if (!babelCache) {
    const babel = require('@babel/core');
    const plugin = require('@babel/plugin-transform-regenerator');
    const real = realPrereqPlugins();
    babelCache = {
      babel,
      plugin: plugin.default ?? plugin,
      prereqs: real ?? [regeneratorPrereqs],
      prereqsKind: real ? '@babel/plugin-transform-for-of + @babel/plugin-transform-destructuring' : 'bench/babel-prereqs.mjs (stand-in for @babel/plugin-transform-for-of + -destructuring, inside generators only)',
    };
  }
  return babelCache;
}

/** Human-readable text of one diagnostic, whatever shape it has. */
function diagText(d) {
  if (d == null) return String(d);
  if (typeof d === 'string') return d;
  if (typeof d.text === 'string') return d.text; // corosplit's Diagnostic: `file:line:col: error: message`
  const t = loadTypeScript();
  let msg = d.messageText !== undefined ? t.flattenDiagnosticMessageText(d.messageText, '\n') : (d.message ?? JSON.stringify(d));
  if (d.file && typeof d.start === 'number' && d.file.getLineAndCharacterOfPosition) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    msg = `${d.file.fileName}:${line + 1}:${character + 1}: ${msg}`;
  }
  return msg;
}

function isErrorDiag(d) {
  if (d == null || typeof d !== 'object') return false;
  // corosplit's Diagnostic has category 'error' | 'warning'; a ts.Diagnostic has DiagnosticCategory.Error = 1.
  return d.category === 'error' || d.category === 1 || d.severity === 'error' || d.level === 'error';
}

/** Counts generator functions/methods left in `code` (a lowering should leave none). */
function countGenerators(code) {
  const t = loadTypeScript();
  const sf = t.createSourceFile('out.js', code, t.ScriptTarget.Latest, false, t.ScriptKind.JS);
  let n = 0;
  const visit = (node) => {
    if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node) || t.isMethodDeclaration(node)) && node.asteriskToken) n++;
    t.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

function makeTransformers(corosplit) {
  const lowerWith = (src, fileName, optimize) => {
    const out = corosplit.transformSource(src, { fileName, runtime: 'inline', optimize });
    const diags = Array.isArray(out?.diagnostics) ? out.diagnostics : [];
    const notes = diags.map((d) => (typeof d?.text === 'string' ? d.text : `${isErrorDiag(d) ? 'error' : 'diagnostic'}: ${diagText(d)}`));
    if (diags.some(isErrorDiag)) throw new ReportedError(`transformSource reported errors:\n  ${notes.join('\n  ')}`);
    if (typeof out?.code !== 'string') throw new ReportedError('transformSource returned no code');
    return { code: out.code, notes };
  };
  /** Each returns { code, notes: string[] } or throws. */
  return {
    native: (src) => ({ code: src, notes: [] }),
    hand: (src) => ({ code: src, notes: [] }),
    corosplit: (src, fileName) => lowerWith(src, fileName, 'speed'),
    'cs-size': (src, fileName) => lowerWith(src, fileName, 'size'),
    regenerator: (src, fileName) => {
      // Two passes, as preset-env orders them: the ES2015 lowering regenerator needs, then regenerator.
      const { babel, plugin, prereqs } = babelTools();
      const base = { filename: fileName, babelrc: false, configFile: false, sourceType: 'script' };
      const pre = babel.transformSync(src, { ...base, plugins: prereqs });
      const out = babel.transformSync(pre.code, { ...base, plugins: [plugin] });
      if (/\brequire\(|\bregeneratorRuntime\b(?![\w$]*\s*=)/.test(out.code) && !/function _regenerator/.test(out.code)) {
        throw new ReportedError('Babel emitted a regenerator-runtime reference instead of the inline helper');
      }
      return { code: out.code, notes: [] };
    },
    'ts-es5': (src, fileName) => {
      const t = loadTypeScript();
      const out = t.transpileModule(src, {
        fileName,
        reportDiagnostics: true,
        compilerOptions: {
          target: t.ScriptTarget.ES5,
          downlevelIteration: true,
          module: t.ModuleKind.ESNext,
          ignoreDeprecations: '6.0', // TypeScript 6 deprecates target ES5 and downlevelIteration
          importHelpers: false,
          noEmitHelpers: false,
        },
      });
      const errors = (out.diagnostics ?? []).filter((d) => d.category === t.DiagnosticCategory.Error);
      if (errors.length) throw new ReportedError(`transpileModule reported errors:\n  ${errors.map(diagText).join('\n  ')}`);
      if (!/__generator/.test(out.outputText)) throw new ReportedError('TypeScript output has no __generator helper');
      return { code: out.outputText, notes: [] };
    },
  };
}

/**
 * Compiles a classic-script program defining `run` and returns `run`. A program that turns out to be
 * an ES module (a transformer emitted import/export) is written under .corosplit-tmp/bench/ and
 * imported instead, with a note.
 */
async function compile(code, filename, notes) {
  const wrapped = `(function () {\n"use strict";\n${code}\n;return run;\n})`;
  let factory;
  try {
    factory = vm.runInThisContext(wrapped, { filename });
  } catch (e) {
    if (!(e instanceof SyntaxError) || !/\b(import|export)\b/.test(code)) throw e;
    const dir = path.join(root, '.corosplit-tmp', 'bench');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, filename.replace(/[^\w.-]+/g, '_').replace(/\.js$/, '') + '.mjs');
    fs.writeFileSync(file, `${code}\n;export { run as __benchRun };\n`);
    const mod = await import(pathToFileURL(file).href);
    notes.push(`output is an ES module, not a classic script (${e.message}); loaded with import() from ${path.relative(root, file)}`);
    factory = () => mod.__benchRun;
  }
  const run = factory();
  if (typeof run !== 'function') throw new Error('the program did not define run()');
  return run;
}

// ---------------------------------------------------------------------------------------------
// Machine and tools

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    speedMHz: cpus[0]?.speed ?? null,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    v8: process.versions.v8,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

function toolVersions() {
  const version = (name) => {
    try { return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version; } catch { return null; }
  };
  return {
    typescript: version('typescript'),
    '@babel/core': version('@babel/core'),
    '@babel/plugin-transform-regenerator': version('@babel/plugin-transform-regenerator'),
    regeneratorPrereqs: realPrereqPlugins() ? '@babel/plugin-transform-for-of + @babel/plugin-transform-destructuring' : 'bench/babel-prereqs.mjs',
  };
}

function gitRevision() {
  try {
    const rev = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${rev}+dirty` : rev;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length & 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(xs) {
  if (xs.length === 0) return null;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

/** An error the harness raises itself: its message says everything, no stack needed. */
class ReportedError extends Error {}

/** A short form of an exception for the table's failure list (the full stack goes to the JSON). */
function brief(e) {
  if (e instanceof ReportedError) return e.message;
  const text = String(e?.stack ?? e);
  const lines = text.split('\n');
  const head = lines.filter((l) => !/^\s+at /.test(l));
  const firstFrame = lines.find((l) => /^\s+at /.test(l));
  return [...head.slice(0, 6), ...(firstFrame ? [firstFrame.trim()] : [])].join('\n    ');
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

// No forced GC between runs: tried, and a full gc() before each run made every variant slower
// (the hand-written one ~3x), i.e. it measured V8 re-growing its heap rather than the code.
function timeOnce(run, n) {
  const t0 = process.hrtime.bigint();
  const checksum = run(n);
  const t1 = process.hrtime.bigint();
  return { ms: Number(t1 - t0) / 1e6, checksum };
}

/**
 * Runs one workload: transforms and compiles every variant, checks checksums, warms up and times.
 * Returns the per-variant results; failures are recorded, never thrown.
 */
async function runWorkload(w, opts, transformers, corosplit) {
  const n = Math.max(1, Math.round(w.n * opts.scale));
  const result = { name: w.name, title: w.title, n, checksum: null, variants: {} };
  const live = [];
  for (const v of opts.variants) {
    const r = { status: 'ok', ms: [], median: null, min: null, max: null, iqrPct: null, ratio: null, checksum: null, transformMs: null, codeBytes: null, unlowered: null, notes: [], error: null, errorStack: null };
    result.variants[v] = r;
    if ((v === 'corosplit' || v === 'cs-size') && !corosplit.available) {
      r.status = corosplit.error ? 'error' : 'unavailable';
      r.error = corosplit.reason;
      continue;
    }
    const program = v === 'hand' ? handProgram(w) : generatorProgram(w);
    const fileName = `${w.name}.js`;
    let code;
    try {
      const t0 = process.hrtime.bigint();
      const out = transformers[v](program, fileName);
      r.transformMs = Number(process.hrtime.bigint() - t0) / 1e6;
      code = out.code;
      r.notes.push(...out.notes);
      r.codeBytes = Buffer.byteLength(code);
      if (opts.dump) {
        fs.mkdirSync(opts.dump, { recursive: true });
        fs.writeFileSync(path.join(opts.dump, `${w.name}.${v}.js`), code);
      }
      if (v !== 'native' && v !== 'hand') {
        r.unlowered = countGenerators(code);
        if (r.unlowered > 0) r.notes.push(`${r.unlowered} generator function(s) left unlowered in the output: this column partly measures native generators`);
      }
    } catch (e) {
      r.status = 'error';
      r.error = `transform failed: ${brief(e)}`;
      r.errorStack = String(e?.stack ?? e);
      continue;
    }
    try {
      r.run = await compile(code, `bench:${w.name}/${v}.js`, r.notes);
    } catch (e) {
      r.status = 'error';
      r.error = `loading the transformed code failed: ${brief(e)}`;
      r.errorStack = String(e?.stack ?? e);
      continue;
    }
    live.push(v);
  }

  const record = (v, checksum) => {
    const r = result.variants[v];
    if (r.checksum === null) r.checksum = checksum;
    else if (!Object.is(r.checksum, checksum) && r.status === 'ok') {
      r.status = 'mismatch';
      r.error = `returned ${r.checksum} on one run and ${checksum} on another`;
    }
  };
  const attempt = (v, timed) => {
    const r = result.variants[v];
    if (r.status === 'error') return;
    try {
      const { ms, checksum } = timeOnce(r.run, n);
      record(v, checksum);
      if (timed) r.ms.push(ms);
    } catch (e) {
      r.status = 'error';
      r.error = `run(${n}) threw: ${brief(e)}`;
      r.errorStack = String(e?.stack ?? e);
    }
  };

  // Warm-up (at least one run, which also yields the checksums), then timed rounds with the order of
  // the variants rotating so that no variant always runs right after the same neighbour.
  for (let i = 0; i < Math.max(1, opts.warmup); i++) for (const v of live) attempt(v, false);
  for (let round = 0; round < opts.rounds; round++) {
    for (let k = 0; k < live.length; k++) attempt(live[(k + round) % live.length], true);
  }

  const native = result.variants.native;
  result.checksum = native.status === 'ok' ? native.checksum : null;
  for (const v of live) {
    const r = result.variants[v];
    delete r.run;
    if (r.status === 'ok' && v !== 'native' && native.status === 'ok' && !Object.is(r.checksum, native.checksum)) {
      r.status = 'mismatch';
      r.error = `checksum ${r.checksum}, native returned ${native.checksum}`;
    }
    if (r.ms.length) {
      const sorted = [...r.ms].sort((a, b) => a - b);
      r.median = median(sorted);
      r.min = sorted[0];
      r.max = sorted[sorted.length - 1];
      // Interquartile range relative to the median: how noisy this cell is.
      r.iqrPct = r.median > 0 ? ((quantile(sorted, 0.75) - quantile(sorted, 0.25)) / r.median) * 100 : null;
    }
  }
  for (const v of opts.variants) {
    const r = result.variants[v];
    delete r.run;
    if (r.status === 'ok' && native.status === 'ok' && r.median > 0) r.ratio = native.median / r.median;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Output

function fmtMs(x) {
  if (x == null) return '';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function fmtRatio(x) {
  return x == null ? '' : `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
}

const STATUS_MARK = { unavailable: 'n/a', error: 'ERROR', mismatch: 'MISMATCH' };

function printTable(report, opts) {
  const variants = opts.variants;
  const nameW = Math.max(8, ...report.workloads.map((w) => w.name.length)) + 2;
  const colW = 20;
  const pad = (s, w) => s + ' '.repeat(Math.max(0, w - s.length));
  const lpad = (s, w) => ' '.repeat(Math.max(0, w - s.length)) + s;
  const cell = (ms, ratio) => lpad(ms, 9) + lpad(ratio, 9) + '  ';
  const lines = [];
  lines.push(pad('', nameW) + variants.map((v) => pad(lpad(v, 18), colW)).join(''));
  lines.push(pad('workload', nameW) + variants.map(() => cell('ms', 'vs nat')).join(''));
  for (const w of report.workloads) {
    let line = pad(w.name, nameW);
    for (const v of variants) {
      const r = w.variants[v];
      if (r.status !== 'ok') {
        line += cell(STATUS_MARK[r.status] ?? r.status, '');
        continue;
      }
      const flag = r.unlowered > 0 ? '!' : '';
      line += cell(fmtMs(r.median) + flag, v === 'native' ? '' : fmtRatio(r.ratio));
    }
    lines.push(line);
  }
  let gm = pad('geomean', nameW);
  for (const v of variants) {
    const g = report.geomean[v];
    const count = report.geomeanCount[v];
    const note = g != null && count < report.workloads.length ? ` (${count}/${report.workloads.length})` : '';
    gm += cell('', v === 'native' ? '' : g == null ? '-' : fmtRatio(g) + note);
  }
  lines.push(gm);
  console.log(lines.map((l) => l.trimEnd()).join('\n'));
  console.log('\nms = median wall time of one run(n); vs nat = native ms / variant ms (>1 is faster than native); geomean over the workloads where the variant ran and agreed.');
  const noisy = [];
  for (const w of report.workloads) {
    for (const v of variants) {
      const r = w.variants[v];
      if (r.status === 'ok' && r.iqrPct != null && r.ms.length >= 4) noisy.push({ at: `${w.name}/${v}`, iqr: r.iqrPct });
    }
  }
  if (noisy.length) {
    noisy.sort((a, b) => a.iqr - b.iqr);
    const mid = noisy[noisy.length >> 1];
    const worst = noisy[noisy.length - 1];
    console.log(`noise (interquartile range of the rounds / median): typical ${mid.iqr.toFixed(0)}%, worst ${worst.iqr.toFixed(0)}% (${worst.at}); '!' after ms = the output still contains generators`);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.list) {
    for (const w of workloads) console.log(`${w.name.padEnd(16)} n=${String(w.n).padEnd(9)} ${w.title}`);
    return 0;
  }
  const selected = opts.filter ? workloads.filter((w) => opts.filter.some((f) => w.name.toLowerCase().includes(f))) : workloads;
  if (selected.length === 0) usage(`--filter ${opts.filter.join(',')} matches no workload (try --list)`);

  const machine = machineInfo();
  const corosplit = opts.variants.includes('corosplit') || opts.variants.includes('cs-size') ? await loadCorosplit() : { available: false, error: false, reason: 'not selected (--variants)' };
  const transformers = makeTransformers(corosplit);
  const tools = toolVersions();

  console.log(`corosplit generator benchmark: ${selected.length} workload(s), ${opts.rounds} timed round(s) (median), ${opts.warmup} warm-up run(s), scale ${opts.scale}`);
  console.log(`machine: ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), ${machine.platform}-${machine.arch}, Node ${machine.node} (V8 ${machine.v8})`);
  const busy = machine.loadavg[0] > machine.cores * 0.5;
  console.log(`load average: ${machine.loadavg.join(' ')}${busy ? `  *** the machine is busy (1-min load ${machine.loadavg[0]} on ${machine.cores} cores): absolute times are inflated and noisy; ratios less so` : ''}`);
  console.log(`tools: typescript ${tools.typescript}, @babel/core ${tools['@babel/core']}, @babel/plugin-transform-regenerator ${tools['@babel/plugin-transform-regenerator']} (after ${tools.regeneratorPrereqs})`);
  if (opts.variants.includes('corosplit') && !corosplit.available) {
    const banner = corosplit.error ? 'corosplit: ERROR' : 'corosplit: NOT AVAILABLE';
    console.log(`\n*** ${banner}: ${corosplit.reason}`);
    console.log('*** the corosplit column is left empty; the other variants run as usual.\n');
  } else {
    console.log('');
  }

  const started = process.hrtime.bigint();
  const results = [];
  for (const w of selected) {
    const t0 = process.hrtime.bigint();
    const res = await runWorkload(w, opts, transformers, corosplit);
    results.push(res);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const summary = opts.variants
      .map((v) => {
        const r = res.variants[v];
        return r.status === 'ok' ? `${v} ${fmtMs(r.median)}ms` : `${v} ${STATUS_MARK[r.status] ?? r.status}`;
      })
      .join(', ');
    console.log(`  ${w.name} (n=${res.n}, ${secs.toFixed(1)}s): ${summary}`);
  }
  const totalSecs = Number(process.hrtime.bigint() - started) / 1e9;

  const geo = {};
  const geoCount = {};
  for (const v of opts.variants) {
    const ratios = results.map((w) => w.variants[v]).filter((r) => r.status === 'ok' && r.ratio != null).map((r) => r.ratio);
    geo[v] = geomean(ratios);
    geoCount[v] = ratios.length;
  }

  const failures = [];
  const notes = [];
  for (const w of results) {
    for (const v of opts.variants) {
      const r = w.variants[v];
      if (r.status === 'mismatch' || r.status === 'error') {
        if ((v === 'corosplit' || v === 'cs-size') && r.status === 'error' && corosplit.error) continue; // reported once below
        failures.push({ workload: w.name, variant: v, status: r.status, message: r.error });
      }
      for (const note of r.notes) notes.push(`${w.name}/${v}: ${note}`);
    }
  }
  if (corosplit.error) failures.push({ workload: '*', variant: 'corosplit', status: 'error', message: corosplit.reason });

  const report = {
    date: new Date().toISOString(),
    revision: gitRevision(),
    machine,
    tools,
    options: { filter: opts.filter, rounds: opts.rounds, warmup: opts.warmup, scale: opts.scale, variants: opts.variants },
    corosplit: { available: corosplit.available, reason: corosplit.reason },
    seconds: Math.round(totalSecs * 10) / 10,
    workloads: results,
    geomean: geo,
    geomeanCount: geoCount,
    ok: failures.length === 0,
    failures,
  };

  console.log('');
  printTable(report, opts);
  const loadAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
  report.loadavgAfter = loadAfter;
  console.log(`\ntotal ${totalSecs.toFixed(1)}s; ${machine.cpu} x${machine.cores}, Node ${machine.node}; load average before ${machine.loadavg.join(' ')}, after ${loadAfter.join(' ')}`);
  if (notes.length) {
    console.log('\nnotes:');
    for (const n of notes) console.log(`  ${n}`);
  }
  if (opts.variants.includes('corosplit') && !corosplit.available) {
    console.log(`\ncorosplit: ${corosplit.error ? 'ERROR' : 'not available'}: ${corosplit.reason}`);
  }
  if (opts.json) {
    fs.mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
    fs.writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nresults written to ${opts.json}`);
  }
  if (failures.length) {
    console.error('\n' + '!'.repeat(78));
    console.error(`!!! ${failures.length} FAILURE(S): variants disagree with native or did not run`);
    for (const f of failures) console.error(`!!! ${f.workload} / ${f.variant}: ${f.status.toUpperCase()}: ${f.message}`);
    console.error('!'.repeat(78));
    return 1;
  }
  console.log('\nall variants that ran agree with native on every checksum');
  if (opts.withRuntime) {
    console.log('\nruntime benchmarks (bench/runtime.mjs):\n');
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL('./runtime.mjs', import.meta.url))], { stdio: 'inherit' });
    if (r.status !== 0) return 1;
  }
  return 0;
}

process.exitCode = await main();
