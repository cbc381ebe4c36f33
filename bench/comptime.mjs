#!/usr/bin/env node
// Build-time evaluator benchmark: corosplit's comptime evaluator vs QuickJS (quickjs-emscripten,
// WebAssembly) vs native Node on the same guest programs. Checks that all three agree, prints
// milliseconds and ratios, and the geometric mean of evaluator/QuickJS.
//
// The generator pipeline is hand-lowered for now (state-machine classes extending the real
// dist/runtime GeneratorFrame, in the shape the lowering emits); it becomes the output of the
// lowering once that lands. Run `npm run build` first: the runtime is read from dist/.
//
// Usage: node bench/comptime.mjs [--quick] [--only name]

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { getQuickJS } from 'quickjs-emscripten';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { evaluateComptime } = await import(path.join(root, 'dist/transformer/comptime/index.js'));

const quick = process.argv.includes('--quick');
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx >= 0 ? process.argv[onlyIdx + 1] : undefined;
const scale = quick ? 0.2 : 1;
const N = (n) => Math.max(1, Math.round(n * scale));

// The runtime as plain script text: every engine runs the same code.
const runtimeScript = readFileSync(path.join(root, 'dist/runtime/generator.js'), 'utf8')
  .replace(/^\/\/# sourceMappingURL=.*$/m, '')
  .replace(/^export /gm, '');

const workloads = {
  'numeric loop': `
    let s = 0;
    for (let i = 0; i < ${N(3_000_000)}; i++) { s = (s + i * i) % 1000003; if ((i & 7) === 3) s ^= i; }
    return s;`,

  'generator pipeline (hand-lowered)': `${runtimeScript}
    class fib$Frame extends GeneratorFrame {
      constructor() { super(fib$resume0); this.a = 0; this.b = 1; }
    }
    function fib$resume0(f, v, m) {
      if (m !== 0) return generatorCompleted(f, v, m);
      f.$r = fib$resume1;
      return f.a;
    }
    function fib$resume1(f, v, m) {
      if (m !== 0) return generatorCompleted(f, v, m);
      const t = (f.a + f.b) % 1000000007; f.a = f.b; f.b = t;
      f.$r = fib$resume1;
      return f.a;
    }
    function fib() { return new fib$Frame(); }
    defineGenerator(fib, fib$Frame);
    class take$Frame extends GeneratorFrame {
      constructor(src, n) { super(take$resume0); this.src = src; this.n = n; this.it = undefined; }
    }
    function take$resume0(f, v, m) {
      if (m !== 0) return generatorCompleted(f, v, m);
      f.it = getIterator(f.src);
      return take$loop(f);
    }
    function take$loop(f) {
      if (f.n-- <= 0) { iteratorClose(f.it); f.$r = generatorCompleted; return undefined; }
      const r = f.it.next();
      if (r.done) { f.$r = generatorCompleted; return undefined; }
      f.$r = take$resume1;
      return r.value;
    }
    function take$resume1(f, v, m) {
      if (m === 1) { iteratorClose(f.it); throw v; }
      if (m === 2) { iteratorClose(f.it); f.$r = generatorCompleted; return v; }
      return take$loop(f);
    }
    function take(src, n) { return new take$Frame(src, n); }
    defineGenerator(take, take$Frame);
    let sum = 0, count = 0;
    for (let round = 0; round < ${N(40)}; round++) {
      for (const x of take(fib(), 5000)) { sum = (sum + x) % 1000000007; count++; }
    }
    return [sum, count];`,

  sieve: `
    const n = ${N(2_000_000)};
    const composite = new Array(n + 1).fill(false);
    let count = 0;
    for (let i = 2; i <= n; i++) {
      if (composite[i]) continue;
      count++;
      for (let j = i * i; j <= n; j += i) composite[j] = true;
    }
    return count;`,

  'CRC table': `
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    let crc = 0xffffffff;
    const text = 'The quick brown fox jumps over the lazy dog. ';
    for (let r = 0; r < ${N(20_000)}; r++) {
      for (let i = 0; i < text.length; i++) crc = table[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
    }
    return [(crc ^ 0xffffffff) >>> 0, table[1], table[255]];`,

  'Map/Set heavy': `
    const counts = new Map();
    const seen = new Set();
    let x = 12345;
    for (let i = 0; i < ${N(300_000)}; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const key = 'k' + (x % 5003);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (!seen.has(x % 20011)) seen.add(x % 20011);
    }
    let best = '', bestN = 0;
    for (const [k, v] of counts) if (v > bestN || (v === bestN && k < best)) { best = k; bestN = v; }
    return [counts.size, seen.size, best, bestN];`,

  'string building': `
    const parts = [];
    let s = '';
    for (let i = 0; i < ${N(100_000)}; i++) {
      const line = \`row \${i}: \${(i * 31 % 97).toString(16).padStart(2, '0')}|\${String.fromCharCode(65 + i % 26)}\`;
      parts.push(line);
      if (i % 1000 === 0) s += line.toUpperCase();
    }
    const joined = parts.join('\\n');
    return [joined.length, s.length, joined.slice(-20), s.slice(0, 20)];`,
};

function runCorosplit(body) {
  const code = `import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\n${body}\n}, { steps: 1e9 });`;
  const r = evaluateComptime(ts, { code, fileName: 'bench.js' });
  if (!r.ok) throw new Error(`corosplit: ${r.diagnostic.message}\n${r.diagnostic.notes.join('\n')}`);
  return (0, eval)(r.expression);
}

function runNative(body) {
  return new Function(`"use strict";\n${body}`)();
}

let QuickJS;
function runQuickJS(body) {
  const rt = QuickJS.newRuntime();
  rt.setMemoryLimit(1024 * 1024 * 1024);
  const vm = rt.newContext();
  try {
    const res = vm.evalCode(`"use strict"; (() => {\n${body}\n})()`);
    if (res.error) {
      const err = vm.dump(res.error);
      res.error.dispose();
      throw new Error(`quickjs: ${typeof err === "object" ? JSON.stringify(err) + String(err?.message ?? "") + String(err?.stack ?? "") : String(err)}`);
    }
    const v = vm.dump(res.value);
    res.value.dispose();
    return v;
  } finally {
    vm.dispose();
    rt.dispose();
  }
}

function time(f, reps) {
  let best = Infinity;
  let value;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    value = f();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, value };
}

QuickJS = await getQuickJS();
const rows = [];
const ratios = [];
let mismatches = 0;
for (const [name, body] of Object.entries(workloads)) {
  if (only && !name.includes(only)) continue;
  // Engines take turns within each round, so a load spike on the machine hits all three alike;
  // each engine's best round counts.
  const rounds = quick ? 1 : 4;
  const nat = { ms: Infinity, value: undefined };
  const cs = { ms: Infinity, value: undefined };
  const qj = { ms: Infinity, value: undefined };
  for (let r = 0; r < rounds; r++) {
    for (const [slot, f] of [[nat, runNative], [cs, runCorosplit], [qj, runQuickJS]]) {
      const t = time(() => f(body), 1);
      if (t.ms < slot.ms) slot.ms = t.ms;
      slot.value = t.value;
    }
  }
  const agree = JSON.stringify(cs.value) === JSON.stringify(nat.value) && JSON.stringify(qj.value) === JSON.stringify(nat.value);
  if (!agree) mismatches++;
  ratios.push(cs.ms / qj.ms);
  rows.push({
    workload: name,
    'native ms': nat.ms.toFixed(1),
    'corosplit ms': cs.ms.toFixed(1),
    'quickjs ms': qj.ms.toFixed(1),
    'corosplit/native': (cs.ms / nat.ms).toFixed(1) + 'x',
    'corosplit/quickjs': (cs.ms / qj.ms).toFixed(2) + 'x',
    agree: agree ? 'yes' : `NO: ${JSON.stringify(cs.value)} / ${JSON.stringify(qj.value)} / ${JSON.stringify(nat.value)}`,
  });
}
console.table(rows);
const geo = Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
console.log(`geometric mean corosplit/quickjs: ${geo.toFixed(2)}x (${geo < 1 ? 'faster' : 'slower'} than QuickJS)`);
if (mismatches) {
  console.error(`${mismatches} workload(s) disagree between engines`);
  process.exitCode = 1;
}

// comptime-wire (begin): the samples of samples/comptime through transformSource — lowering +
// module loading + evaluation (cold, no cache) and with a warm persistent cache.
if (!only) {
  const { transformSource } = await import(path.join(root, 'dist/transformer/index.js'));
  const { mkdtempSync, readdirSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'corosplit-bench-cache-'));
  const transformRows = [];
  try {
    for (const f of readdirSync(path.join(root, 'samples/comptime')).filter((n) => n.endsWith('.ts'))) {
      const fileName = path.join(root, 'samples/comptime', f);
      const source = readFileSync(fileName, 'utf8');
      const time = (comptime) => {
        const t0 = performance.now();
        const r = transformSource(source, { fileName, comptime });
        if (r.diagnostics.length) throw new Error(r.diagnostics.map((d) => d.text).join('\n'));
        return performance.now() - t0;
      };
      const cold = time({ cacheDir: false });
      time({ cacheDir });
      const warm = time({ cacheDir });
      transformRows.push({ sample: f, 'transform, no cache ms': cold.toFixed(1), 'transform, cache hit ms': warm.toFixed(1) });
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
  console.table(transformRows);
}
// comptime-wire (end)
