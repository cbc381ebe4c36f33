// The `corosplit` command, spawned as a user runs it: `node bin/corosplit.js ...` on the built
// dist/. Every failure must be a one-line message (file:line:col for input problems), a non-zero
// exit, no stack trace and no output file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist, generatorSyntaxIn, node, repoRoot, STACK_LINE } from './helpers/emitted.js';

assertFreshDist();

const bin = path.join(repoRoot, 'bin/corosplit.js');
const corosplit = (args: string[], cwd = dir) => node([bin, ...args], { cwd });

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};

/** A script (no import/export) that computes `result` with generators. */
const script = `
function* range(n) { for (let i = 0; i < n; i++) yield i; }
function* squares(it) { try { for (const x of it) yield x * x; } finally { log.push('closed'); } }
var log = [];
var result = [...squares(range(5))].join(',') + ';' + log.join(',');
`;
const scriptResult = '0,1,4,9,16;closed';

const typed = `
export function* pairs<T>(xs: readonly T[]): Generator<[T, T], number, undefined> {
  let n = 0;
  for (let i = 0; i + 1 < xs.length; i += 2) { yield [xs[i], xs[i + 1]] as [T, T]; n++; }
  return n;
}
`;

/** Errors: no stack trace and nothing but the expected lines on stderr. */
function expectCleanFailure(r: ReturnType<typeof node>, stderr: RegExp, status = 1): void {
  expect(r.status).toBe(status);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(stderr);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.stderr).not.toMatch(/internal error/);
}

describe('corosplit CLI', () => {
  it('--help prints usage on stdout and exits 0', () => {
    const r = corosplit(['--help']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage:$/m);
    expect(r.stdout).toMatch(/corosplit transform \[options\] FILE\.\.\./);
    for (const opt of ['--runtime import|inline', '--runtime-module', '--out-dir', '--no-source-map']) expect(r.stdout).toContain(opt);
    expect(corosplit(['transform', '--help']).stdout).toBe(r.stdout);
  });

  it('no arguments is a usage error (usage on stderr, exit 2)', () => {
    const r = corosplit([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage:$/m);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    expect(corosplit(['--version']).stdout).toBe(`corosplit ${pkg.version}\n`);
  });

  it('transforms one file to stdout: types stripped, generators lowered, runtime imported', () => {
    const f = write('one/pairs.ts', typed);
    const r = corosplit(['transform', f]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(generatorSyntaxIn(r.stdout)).toEqual([]);
    expect(r.stdout).toMatch(/^import \{[^}]*\} from "corosplit\/abi";$/m);
    // Still exports `pairs` (as a function, a variable or a specifier: the ramp's shape is the lowering's business).
    expect(r.stdout).toMatch(/^export (?:(?:function|var|let|const) pairs\b|\{ pairs \})/m);
    expect(r.stdout).not.toContain('readonly');
    expect(r.stdout).not.toContain('sourceMappingURL');
    // Nothing written next to the input.
    expect(fs.readdirSync(path.dirname(f))).toEqual(['pairs.ts']);
  });

  it('the stdout output runs and behaves like the native generator', async () => {
    const f = write('run/pairs.ts', typed);
    const r = corosplit(['transform', f]);
    // Inside the package, corosplit/runtime resolves by self-reference.
    const out = path.join(repoRoot, '.corosplit-tmp', `cli-${process.pid}-pairs.mjs`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, r.stdout);
    try {
      const mod = await import(out);
      const it = mod.pairs(['a', 'b', 'c', 'd', 'e']);
      expect([it.next(), it.next(), it.next()]).toEqual([
        { value: ['a', 'b'], done: false },
        { value: ['c', 'd'], done: false },
        { value: 2, done: true },
      ]);
    } finally {
      fs.rmSync(out, { force: true });
    }
  });

  it('several files with --out-dir: one .js and .map each, with matching names, in the folders of their inputs', () => {
    const a = write('multi/a.ts', typed);
    const b = write('multi/sub/b.mts', typed);
    const c = write('multi/c.js', script);
    const out = path.join(dir, 'multi-out');
    const r = corosplit(['transform', a, b, c, '--out-dir', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^corosplit: lowered 3 of 3 files into .*multi-out in \d+ ms$/m);
    // sub/b.mts stays below sub/: flattening it would break relative imports between the outputs.
    const listing = (fs.readdirSync(out, { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();
    expect(listing).toEqual(['a.js', 'a.js.map', 'c.js', 'c.js.map', 'sub', 'sub/b.mjs', 'sub/b.mjs.map']);
    for (const [js, src] of [['a.js', a], ['sub/b.mjs', b], ['c.js', c]] as const) {
      const code = fs.readFileSync(path.join(out, js), 'utf8');
      const base = path.basename(js);
      expect(generatorSyntaxIn(code), js).toEqual([]);
      expect(code.trimEnd().split('\n').pop()).toBe(`//# sourceMappingURL=${base}.map`);
      const map = JSON.parse(fs.readFileSync(path.join(out, js + '.map'), 'utf8'));
      expect(map.version).toBe(3);
      expect(map.file).toBe(base);
      expect(path.resolve(path.dirname(path.join(out, js)), map.sources[0])).toBe(src);
      expect(map.mappings.length).toBeGreaterThan(0);
    }
    // No temporary files left behind.
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--runtime inline helpers do not read the user\'s hoisted var Symbol / Object / Function / Proxy', () => {
    // In a module or CommonJS scope those vars are in scope, undefined, before the helpers run.
    const src = 'var Symbol, Object, Function, Proxy;\nvar log = [];\nfunction* g() { yield 1; try { yield 2; } finally { log.push("f"); } }\nvar out = [...g(), ...log];\nconsole.log(JSON.stringify(out));\n';
    const f = write('inline-globals/shadow.js', src);
    const r = corosplit(['transform', '--runtime', 'inline', f]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const cjs = write('inline-globals/shadow.lowered.cjs', r.stdout);
    const native = node([write('inline-globals/shadow.native.cjs', src)]);
    const lowered = node([cjs]);
    expect(lowered.stderr).toBe('');
    expect(lowered.stdout).toBe(native.stdout);
    expect(JSON.parse(lowered.stdout)).toEqual([1, 2, 'f']);
  });

  it('--runtime inline output of a script runs in a bare node:vm context', () => {
    const f = write('inline/script.js', script);
    const r = corosplit(['transform', '--runtime', 'inline', f]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\bimport\b|\brequire\(|\bexport\b/);
    expect(generatorSyntaxIn(r.stdout)).toEqual([]);
    // A context with nothing but the language's own globals: no console, no process, no require.
    const ctx = vm.createContext({});
    vm.runInContext(r.stdout, ctx, { timeout: 5000 });
    expect(ctx.result).toBe(scriptResult);
    // And the same script run natively agrees.
    const native = vm.createContext({});
    vm.runInContext(script, native);
    expect(native.result).toBe(scriptResult);
    // --runtime=inline is the same option.
    expect(corosplit(['transform', '--runtime=inline', f]).stdout).toBe(r.stdout);
  });

  it('--optimize size: smaller output that runs the same, with the option before or after the command', () => {
    const src = script + `function* tree(n) { if (n > 0) { yield* tree(n - 1); yield n; yield* tree(n - 1); } }
result += ';' + [...tree(3)].join('');`;
    const f = write('optimize/script.js', src);
    const speed = corosplit(['transform', '--runtime', 'inline', f]);
    const size = corosplit(['transform', '--runtime', 'inline', '--optimize', 'size', f]);
    expect(size.stderr).toBe('');
    expect(size.status).toBe(0);
    expect(corosplit(['--optimize', 'size', 'transform', '--runtime', 'inline', f]).stdout).toBe(size.stdout);
    expect(corosplit(['--optimize=size', 'transform', '--runtime=inline', f]).stdout).toBe(size.stdout);
    expect(corosplit(['transform', '--runtime', 'inline', '--optimize', 'speed', f]).stdout).toBe(speed.stdout);
    expect(generatorSyntaxIn(size.stdout)).toEqual([]);
    // the generators' own code, without the inlined runtime helpers
    const own = (out: string): number => out.split('\n').filter((l) => /\b(range|squares|tree)\$/.test(l)).join('\n').length;
    expect(own(size.stdout)).toBeLessThan(own(speed.stdout) * 0.7);
    const results = [speed.stdout, size.stdout, src].map((code) => {
      const ctx = vm.createContext({});
      vm.runInContext(code, ctx, { timeout: 5000 });
      return ctx.result;
    });
    expect(results).toEqual([scriptResult + ';1213121', scriptResult + ';1213121', scriptResult + ';1213121']);
    expectCleanFailure(corosplit(['transform', f, '--optimize', 'fast']), /--optimize must be 'speed' or 'size', not 'fast'/, 2);
    expectCleanFailure(corosplit(['--optimize', 'size', 'inspect', f]), /--optimize goes with transform or build, not 'inspect'/, 2);
  });

  it('accepts .ts .tsx .js .mjs .cjs (and .mts .cts .jsx)', () => {
    const names = ['x.ts', 'y.tsx', 'z.js', 'w.mjs', 'v.cjs', 'u.mts', 't.cts', 's.jsx'];
    const files = names.map((n) => write(`exts/${n}`, script));
    const out = path.join(dir, 'exts-out');
    const r = corosplit(['transform', '--runtime', 'inline', '--out-dir', out, ...files]);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(out).filter((f) => !f.endsWith('.map')).sort()).toEqual(['s.jsx', 't.cjs', 'u.mjs', 'v.cjs', 'w.mjs', 'x.js', 'y.jsx', 'z.js']);
    for (const f of fs.readdirSync(out).filter((f) => !f.endsWith('.map'))) {
      let code = fs.readFileSync(path.join(out, f), 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '');
      // .mjs/.mts are always ES modules: TypeScript marks them with `export {};`, nothing else.
      if (/\.mjs$/.test(f)) {
        expect(code.trimEnd().endsWith('export {};'), f).toBe(true);
        code = code.trimEnd().slice(0, -'export {};'.length);
      }
      // Otherwise a script stays a script: no module wrapper, no added "use strict".
      expect(code, f).not.toMatch(/use strict|exports|\bimport\b|\bexport\b/);
      const ctx = vm.createContext({});
      vm.runInContext(code, ctx);
      expect(ctx.result, f).toBe(scriptResult);
    }
  });

  it('a .cjs input requires the runtime and runs under require()', () => {
    const f = write('cjs/m.cjs', `function* g() { yield 1; yield 2; }\nmodule.exports = [...g()];\n`);
    const r = corosplit(['transform', f]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^const \{[^}]*\} = require\("corosplit\/abi"\);$/m);
    const out = path.join(repoRoot, '.corosplit-tmp', `cli-${process.pid}-m.cjs`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, r.stdout);
    try {
      const run = node(['-e', `console.log(JSON.stringify(require(${JSON.stringify(out)})))`]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('[1,2]\n');
    } finally {
      fs.rmSync(out, { force: true });
    }
  });

  it('rejects other extensions with a clear message before writing anything', () => {
    const good = write('rej/good.ts', typed);
    const bad = write('rej/notes.txt', script);
    const out = path.join(dir, 'rej-out');
    const r = corosplit(['transform', good, bad, '--out-dir', out]);
    expectCleanFailure(r, /^corosplit: error: .*notes\.txt: unsupported file type '\.txt' \(expected one of \.ts \.tsx \.mts \.cts \.js \.jsx \.mjs \.cjs\)$/m, 2);
    expect(fs.existsSync(out)).toBe(false);
    expectCleanFailure(corosplit(['transform', write('rej/Makefile', '')]), /unsupported file type '\(none\)'/, 2);
  });

  it('a syntax error: file:line:col on stderr, exit 1, no output file, no stack trace', () => {
    const f = write('syntax/broken.ts', 'function* g() {\n  let x = 1;\n  yield x +;\n}\n');
    const out = path.join(dir, 'syntax-out');
    const r = corosplit(['transform', f, '--out-dir', out]);
    expectCleanFailure(r, new RegExp(`^${escape(f)}:3:12: error: Expression expected\\.$`, 'm'));
    expect(fs.readdirSync(out)).toEqual([]);
    // To stdout: nothing printed at all.
    expectCleanFailure(corosplit(['transform', f]), /:3:12: error: Expression expected\./);
  });

  it('an unsupported construct: file:line:col on stderr, exit 1, no output file, no stack trace', () => {
    const f = write('unsup/opt.ts', 'export function* g(o?: Record<string, number>) {\n  return o?.[yield 1];\n}\n');
    const out = path.join(dir, 'unsup-out');
    const r = corosplit(['transform', f, '--out-dir', out]);
    expectCleanFailure(r, new RegExp(`^${escape(f)}:2:10: error: corosplit cannot lower optional chaining with a yield in it yet \\(in generator 'g'\\)$`, 'm'));
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('a direct eval in a generator that suspends is a located error (it would read renamed variables), an indirect one lowers', () => {
    const f = write('eval/direct.js', 'function* g() {\n  var x = 1;\n  yield eval("x");\n}\n');
    expectCleanFailure(corosplit(['transform', f]), new RegExp(`^${escape(f)}:3:9: error: corosplit cannot lower a direct eval\\(\\) in a generator: the generator suspends, .*use an indirect eval`, 'm'));
    const nested = write('eval/nested.js', 'function* g() {\n  var x = 1;\n  yield (() => (eval)("x"))();\n}\n');
    expectCleanFailure(corosplit(['transform', nested]), new RegExp(`^${escape(nested)}:3:16: error: corosplit cannot lower a direct eval`, 'm'));
    const indirect = write('eval/indirect.js', 'function* g() {\n  yield (0, eval)("1 + 1");\n}\n');
    const r = corosplit(['transform', indirect]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('a direct eval in a generator that never yields lowers with the body whole, and runs as native', () => {
    // Parameters (one with an eval in its initialiser), a captured let, `this` and `arguments`:
    // all of them the eval names at run time.
    const source = 'function* g(p, q = eval("var w = p * 2; w")) {\n  let x = 1;\n  const f = () => x;\n  return eval("[p, q, w, x, f(), this.k, arguments.length]");\n}\nvar result = JSON.stringify(g.call({ k: "this" }, 5).next());\n';
    const f = write('eval/no-yield.js', source);
    const out = path.join(dir, 'eval-out');
    const r = corosplit(['transform', f, '--runtime', 'inline', '--out-dir', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lowered = fs.readFileSync(path.join(out, 'no-yield.js'), 'utf8');
    expect(generatorSyntaxIn(lowered)).toEqual([]);
    const run = (code: string) => {
      const ctx = vm.createContext({});
      vm.runInContext(code, ctx);
      return ctx.result;
    };
    expect(run(lowered)).toBe('{"value":[5,10,10,1,1,"this",1],"done":true}');
    expect(run(lowered)).toBe(run(source));
  });

  it('inside with, a generator variable kept in the frame is a located error, not a lookup that skips the object', () => {
    // x is captured, so it lives in the frame: `x = 5` must assign o.x, which a frame access would not.
    const f = write('with/captured.js', 'function* g(o) {\n  let x = 0;\n  const f = () => x;\n  yield 1;\n  with (o) { x = 5; }\n  yield [x, f()];\n}\n');
    const out = path.join(dir, 'with-out');
    expectCleanFailure(corosplit(['transform', f, '--out-dir', out]), new RegExp(`^${escape(f)}:5:14: error: corosplit cannot lower the generator's variable 'x' inside \`with\`: `, 'm'));
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
  });

  it('what a body kept whole cannot reproduce is a located error naming the reason', () => {
    const clash = write('eval/var-param.js', 'function* g(a) {\n  var a;\n  return eval("a");\n}\n');
    expectCleanFailure(corosplit(['transform', clash]), new RegExp(`^${escape(clash)}:2:7: error: corosplit cannot lower a direct eval\\(\\) in a generator: its body stays whole for the eval, and there this var 'a' would be a new variable`, 'm'));
    const named = write('eval/named-sloppy.js', 'var g = function* own() {\n  return eval("own = 1");\n};\n');
    expectCleanFailure(corosplit(['transform', named]), new RegExp(`^${escape(named)}:2:10: error: corosplit cannot lower a direct eval\\(\\) in a generator: in a named generator expression in sloppy code, an assignment to its name 'own' would throw`, 'm'));
  });

  it('an output path that is a directory: an error, and neither the .js nor its .map is written', () => {
    const f = write('outdir-clash/a.ts', typed);
    const out = path.join(dir, 'outdir-clash-out');
    fs.mkdirSync(path.join(out, 'a.js'), { recursive: true });
    const r = corosplit(['transform', f, '--out-dir', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/a\.js: error: cannot write output \(is a directory\)/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(fs.readdirSync(out).sort()).toEqual(['a.js']);
    expect(fs.statSync(path.join(out, 'a.js')).isDirectory()).toBe(true);
  });

  it('one bad file among several: the good ones are written, the bad one is not, exit 1', () => {
    const good = write('mixed/good.ts', typed);
    const bad = write('mixed/bad.ts', 'function* g() { yield yield; )\n');
    const out = path.join(dir, 'mixed-out');
    const r = corosplit(['transform', good, bad, '--out-dir', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${escape(bad)}:1:\\d+: error: `, 'm'));
    expect(r.stderr).toMatch(/lowered 1 of 2 files .*; 1 had errors/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(fs.readdirSync(out).sort()).toEqual(['good.js', 'good.js.map']);
  });

  it('--typescript lowers with another TypeScript (typescript-5 here), resolved from the current directory', () => {
    const f = write('tsopt/script.js', script);
    const r = corosplit(['transform', '--runtime', 'inline', '--typescript', 'typescript-5', f], repoRoot);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ctx = vm.createContext({});
    vm.runInContext(r.stdout, ctx);
    expect(ctx.result).toBe(scriptResult);
    expectCleanFailure(corosplit(['transform', '--typescript', 'no-such-typescript', f]), /^corosplit: error: --typescript no-such-typescript: cannot find that module from /m, 2);
  });

  it('a TypeScript without the transformer API (TS 7) is a setup error: the loud message, exit 2, no output', () => {
    const fake = write('ts7/typescript7.cjs', 'module.exports = { version: "7.0.0" };\n');
    const f = write('ts7/a.ts', typed);
    const out = path.join(dir, 'ts7-out');
    const r = corosplit(['transform', '--typescript', fake, '--out-dir', out, f]);
    expectCleanFailure(r, /^corosplit: TypeScript 7\.0\.0 has no transformer API \(TypeScript 7 is the native port\), so it cannot lower with it\. Build with 'corosplit build'/m, 2);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a missing file is a clear error', () => {
    const missing = path.join(dir, 'nope/missing.ts');
    expectCleanFailure(corosplit(['transform', missing]), new RegExp(`^${escape(missing)}: error: cannot read file \\(no such file\\)$`, 'm'));
  });

  it('usage errors: several files without --out-dir, unknown options, bad --runtime, output over input', () => {
    const a = write('usage/a.ts', typed);
    const b = write('usage/b.ts', typed);
    expectCleanFailure(corosplit(['transform', a, b]), /several files need --out-dir DIR/, 2);
    expectCleanFailure(corosplit(['transform', a, '--frobnicate']), /unknown option --frobnicate/, 2);
    expectCleanFailure(corosplit(['transform', a, '--runtime', 'eager']), /--runtime must be 'import' or 'inline', not 'eager'/, 2);
    expectCleanFailure(corosplit(['transform', a, '--out-dir']), /--out-dir needs a value/, 2);
    expectCleanFailure(corosplit(['transform']), /transform needs at least one FILE/, 2);
    expectCleanFailure(corosplit(['frob']), /unknown command 'frob'/, 2);
    const js = write('usage/same.js', script);
    expectCleanFailure(corosplit(['transform', js, '--out-dir', path.dirname(js)]), /the output would overwrite the input/, 2);
    expect(fs.readFileSync(js, 'utf8')).toBe(script);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
