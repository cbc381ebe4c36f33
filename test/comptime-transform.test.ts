// comptime() wired into the transformer: samples/comptime/* through transformSource, the CLI and
// the ts-patch plugin (each output has no comptime( call and no import of the build-time helpers,
// and runs); diagnostics with exact messages and spans; the persistent cache (hit, invalidation
// by a dependency, atomic entries); byte-identical output.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transformSource } from '../dist/transformer/index.js';
import { assertFreshDist, node, repoRoot, STACK_LINE } from './helpers/emitted.js';

assertFreshDist();

const bin = path.join(repoRoot, 'bin/corosplit.js');
const tspc = path.join(repoRoot, 'node_modules/ts-patch/bin/tspc.js');

const SAMPLES: Record<string, { stdout: string; literal: RegExp }> = {
  'fib-table': {
    stdout: '0 1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597 2584 4181',
    literal: /^export const table = \[0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181\];$/m,
  },
  tokenizer: {
    stdout: 'keyword:let ident:x1 punct:= punct:( ident:y punct:+ number:42 punct:) punct:* ident:z punct:;',
    literal: /^const CLASS = \[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, /m,
  },
  crc32: { stdout: '414fa339', literal: /^const TABLE = \[0, 1996959894, 3993919788, 2567524794, / },
  sieve: { stdout: '1229 9973 true false', literal: /^export const PRIMES = \[2, 3, 5, 7, 11, 13, /m },
  grammar: { stdout: '4', literal: /^const GRAMMAR = \(\{ start: "E", productions: \[\{ lhs: "E", rhs: \["T", "E'"\] \}, /m },
};
const names = Object.keys(SAMPLES);

let dir: string;
/** A consumer project: samples/comptime copied to src/, corosplit symlinked into node_modules. */
beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-comptime-')));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/corosplit'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  fs.cpSync(path.join(repoRoot, 'samples/comptime'), path.join(dir, 'src'), { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};

function run(js: string, name: string): string {
  const file = write(`run/${name}.mjs`, js);
  const r = node([file], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

function checkOutput(js: string, name: string): void {
  expect(js).not.toContain('comptime(');
  expect(js).not.toMatch(/corosplit\/comptime/);
  expect(js).not.toMatch(/from ["']\.\/lib\//);
  expect(js).toMatch(SAMPLES[name]!.literal);
  expect(run(js, name)).toBe(SAMPLES[name]!.stdout);
}

describe('samples through transformSource', () => {
  for (const name of names) {
    it(name, () => {
      const file = path.join(dir, 'src', `${name}.ts`);
      const r = transformSource(fs.readFileSync(file, 'utf8'), { fileName: file, comptime: { cacheDir: false } });
      expect(r.diagnostics).toEqual([]);
      checkOutput(r.code, name);
    });
  }

  it('emits byte-identical output for the same input, cached or not', () => {
    const file = path.join(dir, 'src', 'grammar.ts');
    const src = fs.readFileSync(file, 'utf8');
    const cacheDir = path.join(dir, 'cache-identical');
    const a = transformSource(src, { fileName: file, comptime: { cacheDir: false } });
    const b = transformSource(src, { fileName: file, comptime: { cacheDir: false } });
    const c = transformSource(src, { fileName: file, comptime: { cacheDir } });
    const d = transformSource(src, { fileName: file, comptime: { cacheDir } });
    expect(a.code.length).toBeGreaterThan(0);
    expect(b.code).toBe(a.code);
    expect(c.code).toBe(a.code);
    expect(d.code).toBe(a.code);
    expect(b.map).toBe(a.map);
  });
});

describe('samples through the CLI', () => {
  for (const name of names) {
    it(name, () => {
      const r = node([bin, 'transform', `src/${name}.ts`], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      checkOutput(r.stdout, name);
      const viaApi = transformSource(fs.readFileSync(path.join(dir, 'src', `${name}.ts`), 'utf8'), { fileName: path.join(dir, 'src', `${name}.ts`), comptime: { cacheDir: false } });
      expect(r.stdout).toBe(viaApi.code.endsWith('\n') ? viaApi.code : viaApi.code + '\n');
    });
  }
});

describe('detection', () => {
  it('replaces only calls of the imported comptime, also renamed, and keeps imports used elsewhere', () => {
    const file = write('src/detect.ts', [
      "import { comptime as ct } from 'corosplit/comptime';",
      "import { fib, take } from './lib/seq.js';",
      'export const a = ct(() => [...take(fib(), 5)]);',
      'export function local() {',
      '  const ct = (f: () => number) => f() + 1;',
      '  return ct(() => 1);',
      '}',
      'export const b = [...take([7, 8, 9], 2)];',
      '',
    ].join('\n'));
    const r = transformSource(fs.readFileSync(file, 'utf8'), { fileName: file, comptime: { cacheDir: false } });
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toContain('export const a = [0, 1, 1, 2, 3];');
    expect(r.code).toContain('return ct(() => 1);');
    expect(r.code).toMatch(/^import \{ take \} from '\.\/lib\/seq\.js';$/m);
    expect(r.code).not.toContain('corosplit/comptime');
  });

  it('leaves a function merely named comptime alone', () => {
    const src = 'function comptime(f: () => number) { return f(); }\nexport const x = comptime(() => 2);\n';
    const r = transformSource(src, { fileName: path.join(dir, 'src/named.ts'), comptime: { cacheDir: false } });
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toContain('export const x = comptime(() => 2);');
  });

  it('keeps side-effect imports', () => {
    const file = write('src/side.ts', "import './lib/seq.js';\nimport { comptime } from 'corosplit/comptime';\nexport const x = comptime(() => 6 * 7);\n");
    const r = transformSource(fs.readFileSync(file, 'utf8'), { fileName: file, comptime: { cacheDir: false } });
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toBe("import './lib/seq.js';\nexport const x = 42;");
  });
});

describe('async functions (lowered like generators, each await a suspension point)', () => {
  const evaluate = (name: string, text: string) => {
    const file = write(`src/${name}.ts`, text);
    return transformSource(text, { fileName: file, comptime: { cacheDir: false } });
  };

  it('comptime(async () => …) runs to completion through awaits, loops, try/catch and other async functions', () => {
    write('src/lib/slow.ts', 'export async function twice(x: number): Promise<number> {\n  const a = await Promise.resolve(x);\n  return a * 2;\n}\n');
    const r = evaluate(
      'async-ok',
      [
        "import { comptime } from 'corosplit/comptime';",
        "import { twice } from './lib/slow.js';",
        'export const v = comptime(async () => {',
        '  let s = 0;',
        '  for (let i = 0; i < 5; i++) s += await twice(i);',
        '  try { await Promise.reject(new Error("no")); } catch (e) { s += (e as Error).message.length; }',
        '  const obj = { async m(y: number) { return (await twice(y)) + 1; } };',
        '  return [s, await obj.m(20), await (async (n: number) => n * 3)(7)];',
        '});',
        '',
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toMatch(/^export const v = \[22, 41, 21\];$/m);
    expect(r.code).not.toContain('slow');
  });

  it('a rejection that escapes is a diagnostic with the thrown message and where the async function resumed', () => {
    const r = evaluate('async-reject', "import { comptime } from 'corosplit/comptime';\nexport const v = comptime(async () => {\n  await null;\n  throw new RangeError('late');\n});\n");
    expect(r.code).toBe('');
    expect(r.diagnostics).toHaveLength(1);
    const [first, ...notes] = r.diagnostics[0]!.message.split('\n');
    expect(first).toBe('comptime: uncaught exception: RangeError: late');
    expect(notes).toContain(`  note: resumed from await at ${path.join(dir, 'src/async-reject.ts')}:3:3`);
    expect([r.diagnostics[0]!.line, r.diagnostics[0]!.column]).toEqual([2, 18]);
  });

  it('async generators and for await: queued requests, return() through finally, yield* delegation, sync sources, closing', () => {
    write(
      'src/lib/streams.ts',
      [
        'export async function* numbers(n: number): AsyncGenerator<number, string> {',
        '  try {',
        '    for (let i = 0; i < n; i++) yield await Promise.resolve(i);',
        "    return 'done';",
        '  } finally {',
        '    await null;',
        '  }',
        '}',
        'export async function* doubled(src: AsyncIterable<number>) {',
        '  for await (const x of src) yield x * 2;',
        '}',
        '',
      ].join('\n'),
    );
    const r = evaluate(
      'async-generators',
      [
        "import { comptime } from 'corosplit/comptime';",
        "import { numbers, doubled } from './lib/streams.js';",
        'export const v = comptime(async () => {',
        '  const out: unknown[] = [];',
        '  for await (const x of doubled(numbers(4))) out.push(x);',
        '  const g = numbers(3);',
        '  // three requests at once: the queue settles them in order',
        '  out.push(...(await Promise.all([g.next(), g.next(), g.return(Promise.resolve(9))])).map((r) => [r.value, r.done]));',
        '  async function* outer() { const r = yield* numbers(2); yield r; yield* [7, Promise.resolve(8)]; }',
        '  for await (const x of outer()) out.push(x);',
        '  let closed = 0;',
        '  function* sync() { try { yield 1; yield 2; } finally { closed++; } }',
        '  for await (const x of sync()) { out.push(x); break; }',
        '  const order: string[] = [];',
        "  const tick = async () => { for (let i = 0; i < 3; i++) { order.push('t' + i); await null; } };",
        "  await Promise.all([tick(), (async () => { for await (const x of numbers(2)) order.push('n' + x); })()]);",
        '  return [out, closed, order.join()];',
        '});',
        '',
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    // What Node prints for the same program, run natively (the interleaving included).
    expect(r.code).toMatch(/^export const v = \[\[0, 2, 4, 6, \[0, false\], \[1, false\], \[9, true\], 0, 1, "done", 7, 8, 1\], 1, "t0,t1,t2,n0,n1"\];$/m);
  });

  it('a rejection out of a for await body is a diagnostic; an async generator that throws rejects its request', () => {
    const r = evaluate(
      'async-generator-throws',
      [
        "import { comptime } from 'corosplit/comptime';",
        'async function* bad() { yield 1; throw new TypeError(\'from the generator\'); }',
        'export const v = comptime(async () => {',
        '  let caught = \'\';',
        '  try { for await (const x of bad()) void x; } catch (e) { caught = (e as Error).message; }',
        '  for await (const x of bad()) void x;',
        '});',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe('');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.message.split('\n')[0]).toBe('comptime: uncaught exception: TypeError: from the generator');
  });
});

describe('diagnostics', () => {
  const diagnose = (name: string, text: string) => {
    const file = write(`src/${name}.ts`, text);
    const r = transformSource(text, { fileName: file, comptime: { cacheDir: false } });
    expect(r.code).toBe('');
    expect(r.diagnostics).toHaveLength(1);
    return { d: r.diagnostics[0]!, file };
  };

  it('an exceeded step budget names itself and how to raise it', () => {
    const { d, file } = diagnose('steps', "import { comptime } from 'corosplit/comptime';\nexport const a = comptime(() => { let s = 0; for (;;) s++; }, { steps: 1000 });\n");
    expect([d.file, d.line, d.column]).toEqual([file, 2, 18]);
    expect(d.message).toBe(
      [
        'comptime: evaluation exceeded the step limit of 1000 steps; raise it with comptime(fn, { steps: N }) or the plugin option "comptime": { "limits": { "steps": N } }',
        `  note: at ${file}:2:55`,
        `  note: in call to (anonymous function)() at ${file}:2:18`,
        `  note: while evaluating comptime() at ${file}:2:18`,
      ].join('\n'),
    );
    expect(d.text.startsWith(`${file}:2:18: error: comptime: evaluation exceeded the step limit`)).toBe(true);
  });

  it('a thrown guest exception shows its message and guest stack, through generators', () => {
    const { d, file } = diagnose(
      'thrown',
      [
        "import { comptime } from 'corosplit/comptime';",
        "import { fib, take } from './lib/seq.js';",
        'function* checked(n: number) {',
        '  for (const x of take(fib(), n)) {',
        '    if (x > 10) throw new RangeError(`too big: ${x}`);',
        '    yield x;',
        '  }',
        '}',
        'function first(n: number) { return [...checked(n)]; }',
        'export const a = comptime(() => first(20));',
        '',
      ].join('\n'),
    );
    expect([d.line, d.column]).toEqual([10, 18]);
    expect(d.message).toBe(
      [
        'comptime: uncaught exception: RangeError: too big: 13',
        `  note: thrown at ${file}:5:23`,
        `  note: resumed from yield at ${file}:6:5`,
        `  note: in call to first(20) at ${file}:10:33`,
        `  note: in call to (anonymous function)() at ${file}:10:18`,
        `  note: while evaluating comptime() at ${file}:10:18`,
      ].join('\n'),
    );
  });

  it('a non-serialisable result names its path', () => {
    const { d, file } = diagnose('ser', "import { comptime } from 'corosplit/comptime';\nexport const a = comptime(() => ({ list: [1, { f: () => 1 }] }));\n");
    expect([d.line, d.column]).toEqual([2, 18]);
    expect(d.message).toBe(`comptime: cannot turn the result into code: a function (f) at result.list[1].f cannot be serialised\n  note: while evaluating comptime() at ${file}:2:18`);
  });

  it('a live generator in the result: coroutine escapes constant evaluation', () => {
    const { d, file } = diagnose('escape', "import { comptime } from 'corosplit/comptime';\nimport { fib } from './lib/seq.js';\nexport const a = comptime(() => ({ gen: fib() }));\n");
    expect([d.line, d.column]).toEqual([3, 18]);
    expect(d.message).toBe(
      `comptime: cannot turn the result into code: coroutine escapes constant evaluation: the generator object at result.gen is still alive when comptime() returns; return the values it produces instead (e.g. [...gen])\n  note: while evaluating comptime() at ${file}:3:18`,
    );
  });

  it('Date.now() is refused', () => {
    const { d, file } = diagnose('date', "import { comptime } from 'corosplit/comptime';\nexport const a = 1;\nexport const b = comptime(() => Date.now());\n");
    expect([d.line, d.column]).toEqual([3, 18]);
    expect(d.message).toBe(
      [
        'comptime: call to non-deterministic Date.now(); build-time evaluation must give the same result on every build, so pass an explicit time (e.g. new Date(Date.UTC(2024, 0, 1)))',
        `  note: at ${file}:3:33`,
        `  note: in call to (anonymous function)() at ${file}:3:18`,
        `  note: while evaluating comptime() at ${file}:3:18`,
      ].join('\n'),
    );
  });

  it('the second of two calls is blamed when it fails', () => {
    const { d } = diagnose('second', "import { comptime } from 'corosplit/comptime';\nexport const a = comptime(() => 1);\nexport const b =\n  comptime(() => { throw new TypeError('nope'); });\n");
    expect([d.line, d.column]).toEqual([4, 3]);
    expect(d.message.split('\n')[0]).toBe('comptime: uncaught exception: TypeError: nope');
  });

  it('the process stays alive and the next build works; the CLI prints no stack trace', () => {
    diagnose('alive', "import { comptime } from 'corosplit/comptime';\nexport const a = comptime(() => { const f = (n: number): number => f(n + 1); return f(0); }, { depth: 100000 });\n");
    const ok = transformSource("import { comptime } from 'corosplit/comptime';\nexport const a = comptime(() => 3);\n", { fileName: path.join(dir, 'src/ok.ts'), comptime: { cacheDir: false } });
    expect(ok.code).toBe('export const a = 3;');
    const r = node([bin, 'transform', 'src/alive.ts'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^src\/alive\.ts:2:18: error: comptime: evaluation exhausted the host stack at guest call depth \d+, below the depth limit of 100000; lower the limit with comptime\(fn, \{ depth: N \}\) or give node a larger stack \(node --stack-size\)$/);
    // at most 10 frames (5 innermost, 5 outermost) around a skip marker, then the call
    const frames = lines.slice(1, -1);
    expect(frames).toHaveLength(11);
    expect(frames[5]).toMatch(/^  note: \(skipping \d+ calls in the stack\)$/);
    expect(frames[0]).toMatch(/^  note: in call to f\(\d+\) at src\/alive\.ts:2:68$/);
    expect(lines).toContain('  note: in call to f(0) at src/alive.ts:2:85');
    expect(lines[lines.length - 1]).toBe('  note: while evaluating comptime() at src/alive.ts:2:18');
  });
});

describe('cache', () => {
  it('hits on the second run and is invalidated exactly by a changed dependency', () => {
    const cli = (file: string) =>
      spawnSync(process.execPath, [bin, 'transform', file], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', COROSPLIT_VERBOSE: '1' } });
    fs.rmSync(path.join(dir, 'node_modules/.cache'), { recursive: true, force: true });
    const first = cli('src/fib-table.ts');
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('corosplit: comptime cache miss: src/fib-table.ts');
    expect(cli('src/crc32.ts').stderr).toContain('corosplit: comptime cache miss: src/crc32.ts');
    const second = cli('src/fib-table.ts');
    expect(second.stderr).toContain('corosplit: comptime cache hit: src/fib-table.ts');
    expect(second.stdout).toBe(first.stdout);
    // entries are complete JSON files; no temporary file is left behind
    const entries = fs.readdirSync(path.join(dir, 'node_modules/.cache/corosplit'), { recursive: true }).map(String).filter((f) => f.endsWith('.json') || f.endsWith('.tmp'));
    expect(entries.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(entries.length).toBe(2);
    // change a dependency of fib-table (not of crc32)
    const seq = path.join(dir, 'src/lib/seq.ts');
    const original = fs.readFileSync(seq, 'utf8');
    fs.writeFileSync(seq, original.replace('let a = 0;', 'let a = 100;'));
    try {
      const third = cli('src/fib-table.ts');
      expect(third.stderr).toContain('corosplit: comptime cache miss: src/fib-table.ts');
      expect(third.stdout).toMatch(/^export const table = \[100, 1, 101, 102, 203, /m);
      expect(cli('src/crc32.ts').stderr).toContain('corosplit: comptime cache hit: src/crc32.ts');
    } finally {
      fs.writeFileSync(seq, original);
    }
    const fourth = cli('src/fib-table.ts');
    expect(fourth.stderr).toContain('corosplit: comptime cache miss: src/fib-table.ts');
    expect(fourth.stdout).toBe(first.stdout);
  });

  it('is keyed on the limits', () => {
    const cacheDir = path.join(dir, 'cache-limits');
    const file = path.join(dir, 'src', 'sieve.ts');
    const src = fs.readFileSync(file, 'utf8');
    expect(transformSource(src, { fileName: file, comptime: { cacheDir } }).diagnostics).toEqual([]);
    const tight = transformSource(src, { fileName: file, comptime: { cacheDir, limits: { steps: 1000 } } });
    expect(tight.diagnostics).toHaveLength(1);
    expect(tight.diagnostics[0]!.message.split('\n')[0]).toBe('comptime: evaluation exceeded the step limit of 1000 steps; raise it with comptime(fn, { steps: N }) or the plugin option "comptime": { "limits": { "steps": N } }');
  });
});

describe('ts-patch plugin', () => {
  it('builds every sample, runs it, and checks the literal against the declared type', () => {
    const compilerOptions = {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(repoRoot, 'node_modules/@types')],
      rootDir: 'src',
      outDir: 'out',
      lib: ['ES2022'],
      ignoreDeprecations: '6.0',
      plugins: [{ transform: 'corosplit/transformer', comptime: { cacheDir: false } }],
    };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: names.map((n) => `src/${n}.ts`) }, null, 2));
    const r = node([tspc, '-p', '.'], { cwd: dir });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const name of names) {
      const js = fs.readFileSync(path.join(dir, 'out', `${name}.js`), 'utf8');
      expect(js).not.toContain('comptime(');
      expect(js).not.toMatch(/from ["']\.\/lib\//);
      const run = node([path.join(dir, 'out', `${name}.js`)], { cwd: dir });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe(SAMPLES[name]!.stdout);
    }

    write('src/mistyped.ts', "import { comptime } from 'corosplit/comptime';\nexport const names: string[] = comptime(() => JSON.parse('[1, 2]'));\n");
    write('src/throws.ts', "import { comptime } from 'corosplit/comptime';\nexport const n: number = comptime(() => { throw new Error('no'); });\n");
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src/mistyped.ts', 'src/throws.ts'] }, null, 2));
    const bad = node([tspc, '-p', '.'], { cwd: dir });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain("src/mistyped.ts(2,32): error TS990001: comptime: the result does not match the declared type 'string[]' of 'names'");
    // JSON.parse is typed any: only the check of the emitted literal sees the mismatch
    expect(bad.stdout).not.toContain('TS2322');
    expect(bad.stdout).toContain("note: Type 'number' is not assignable to type 'string'.");
    expect(bad.stdout).toContain('src/throws.ts(2,26): error TS990001: comptime: uncaught exception: Error: no');
    expect(bad.stdout).toContain(`note: thrown at src/throws.ts:2:49`);
    expect(bad.stdout).not.toMatch(STACK_LINE);
  });
});
