// ts-patch end to end: samples/ built by `tspc` (ts-patch 3.3's compiler binary, nothing patched on
// disk) with `{ "transform": "corosplit/transformer" }`, resolved through the package's `exports`
// the way a user's project resolves it; then the emitted JS is run and compared with the same
// samples compiled by plain tsc (native generators).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist, generatorSyntaxIn, node, repoRoot, STACK_LINE } from './helpers/emitted.js';

assertFreshDist();

const tspc = path.join(repoRoot, 'node_modules/ts-patch/bin/tspc.js');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
const samples = fs.readdirSync(path.join(repoRoot, 'samples')).filter((f) => f.endsWith('.ts'));
// Promise-type coroutines import their runtime classes; `runtime: inline` covers generators only.
const generatorSamples = samples.filter((f) => !fs.readFileSync(path.join(repoRoot, 'samples', f), 'utf8').includes('corosplit/runtime'));

let project: string;

/** A consumer project: its own package.json, corosplit installed (symlinked) in node_modules. */
function makeProject(type: 'module' | 'commonjs', module: string, extraPlugin: Record<string, unknown> = {}, files: string[] = samples): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-tspc-'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/corosplit'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type }));
  fs.mkdirSync(path.join(dir, 'src'));
  for (const f of files) fs.copyFileSync(path.join(repoRoot, 'samples', f), path.join(dir, 'src', f));
  const compilerOptions = {
    target: 'ES2022',
    module,
    moduleResolution: module === 'commonjs' ? 'node10' : 'nodenext',
    strict: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(repoRoot, 'node_modules/@types')],
    rootDir: 'src',
    outDir: 'out',
    lib: ['ES2022'],
    ignoreDeprecations: '6.0',
    plugins: [{ transform: 'corosplit/transformer', ...extraPlugin }],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
  return dir;
}

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
});

function nativeOutputs(dir: string): Map<string, string> {
  const r = node([tsc, '-p', '.', '--outDir', 'native'], { cwd: dir });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = new Map<string, string>();
  for (const f of generatorSamples) {
    const js = path.join(dir, 'native', f.replace(/\.ts$/, '.js'));
    const run = node([js], { cwd: dir });
    expect(run.status).toBe(0);
    out.set(f, run.stdout);
  }
  return out;
}

describe('tspc with corosplit/transformer (ESM project, module NodeNext)', () => {
  let build: ReturnType<typeof node>;
  let native: Map<string, string>;
  beforeAll(() => {
    // Promise-type samples have no native meaning to compare with; test/promise-types.test.ts runs them.
    project = makeProject('module', 'nodenext', {}, generatorSamples);
    cleanup.push(project);
    build = node([tspc, '-p', '.'], { cwd: project });
    native = nativeOutputs(project);
  });

  it('builds without diagnostics', () => {
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
  });

  it('emits every sample with its generators lowered and the runtime imported from corosplit/abi', () => {
    expect(generatorSamples.length).toBeGreaterThanOrEqual(2);
    for (const f of generatorSamples) {
      const js = fs.readFileSync(path.join(project, 'out', f.replace(/\.ts$/, '.js')), 'utf8');
      expect(generatorSyntaxIn(js), f).toEqual([]);
      expect(js).toMatch(/^import \{[^}]*\b\w+ as defineGenerator(Methods?)?\b[^}]*\} from "corosplit\/abi";$/m);
      expect(js).toMatch(/const (\w+\$Frame) = function \1\(/);
    }
  });

  it('runs each lowered sample and prints what the native build prints', () => {
    for (const f of generatorSamples) {
      const run = node([path.join(project, 'out', f.replace(/\.ts$/, '.js'))], { cwd: project });
      expect(run.stderr, f).toBe('');
      expect(run.status, f).toBe(0);
      expect(run.stdout.trim().length, f).toBeGreaterThan(0);
      expect(run.stdout, f).toBe(native.get(f));
    }
  });

  it('fib.ts prints the first ten Fibonacci numbers', () => {
    const run = node([path.join(project, 'out/fib.js')], { cwd: project });
    expect(run.stdout).toBe('0 1 1 2 3 5 8 13 21 34\n');
  });

  it('tree.ts: sorted traversal, early exit runs every finally, sent values', () => {
    const run = node([path.join(project, 'out/tree.js')], { cwd: project });
    expect(run.stdout).toBe('sorted: 20 30 35 40 50 60 70 80\nfirst three: 20 30 35 | finally ran at depths 2,3,2,1,0\naverages: 10 15 30\n');
  });
});

describe('tspc with corosplit/transformer (CommonJS project)', () => {
  let dir: string;
  let build: ReturnType<typeof node>;
  beforeAll(() => {
    dir = makeProject('commonjs', 'commonjs');
    cleanup.push(dir);
    build = node([tspc, '-p', '.'], { cwd: dir });
  });

  it('requires the runtime instead of a synthesized import the CommonJS transform would leave unbound', () => {
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    const js = fs.readFileSync(path.join(dir, 'out/fib.js'), 'utf8');
    expect(js).toMatch(/^const \{[^}]*\b\w+: defineGenerator(Methods?)?\b[^}]*\} = require\("corosplit\/abi"\);$/m);
    expect(js).not.toMatch(/^import /m);
    expect(generatorSyntaxIn(js)).toEqual([]);
  });

  it('exported generator functions stay callable by their own name in CommonJS output', () => {
    // `export function* take` must leave a local binding `take`: the CommonJS transform turns a
    // synthesized `export var take = …` into `exports.take = …` alone, and the file's own calls
    // `take(…)` (and the ramp's `take.prototype`) then throw ReferenceError.
    const js = fs.readFileSync(path.join(dir, 'out/fib.js'), 'utf8');
    expect(js).not.toMatch(/^exports\.(fib|take) = defineGenerator\(/m);
    const run = node([path.join(dir, 'out/fib.js')], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('0 1 1 2 3 5 8 13 21 34\n');
  });
});

describe('tspc with plugin options', () => {
  it('"runtime": "inline" copies the helpers in, so the output imports nothing', () => {
    const dir = makeProject('module', 'nodenext', { runtime: 'inline' }, generatorSamples);
    cleanup.push(dir);
    const build = node([tspc, '-p', '.'], { cwd: dir });
    expect(build.stdout + build.stderr).toBe('');
    const js = fs.readFileSync(path.join(dir, 'out/fib.js'), 'utf8');
    expect(js).not.toContain('corosplit/runtime');
    expect(js).not.toContain('corosplit/abi');
    expect(generatorSyntaxIn(js)).toEqual([]);
    expect(node([path.join(dir, 'out/fib.js')]).stdout).toBe('0 1 1 2 3 5 8 13 21 34\n');
  });
});

describe('tspc with sourceMap and declaration', () => {
  it('declarations keep the generator signature; a throw after a yield maps back to the .ts line', () => {
    const dir = makeProject('module', 'nodenext');
    cleanup.push(dir);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
    Object.assign(config.compilerOptions, { sourceMap: true, declaration: true });
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    fs.writeFileSync(
      path.join(dir, 'src/throws.ts'),
      [
        'export function* checked(limit: number): Generator<number, void, number> {',
        '  let total = 0;',
        '  for (;;) {',
        '    total += yield total;',
        '    if (total > limit) throw new RangeError(`over ${limit}`);',
        '  }',
        '}',
        'const g = checked(10);',
        'g.next();',
        'g.next(4);',
        'g.next(8);',
        '',
      ].join('\n'),
    );
    const build = node([tspc, '-p', '.'], { cwd: dir });
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out/throws.d.ts'), 'utf8')).toContain('export declare function checked(limit: number): Generator<number, void, number>;');
    const js = fs.readFileSync(path.join(dir, 'out/throws.js'), 'utf8');
    expect(generatorSyntaxIn(js)).toEqual([]);
    expect(js).toMatch(/\/\/# sourceMappingURL=throws\.js\.map\s*$/);
    const run = node(['--enable-source-maps', path.join(dir, 'out/throws.js')], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('RangeError: over 10');
    const first = run.stderr.split('\n').find((l) => /^\s+at /.test(l))!.trim();
    expect(first).toMatch(new RegExp(`^at checked\\$resume\\d+ \\(${path.join(fs.realpathSync(dir), 'src/throws.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:30\\)$`));
  });
});

describe('tspc build errors', () => {
  it('an unsupported construct fails the build with file(line,col) and no stack trace', () => {
    const dir = makeProject('module', 'nodenext');
    cleanup.push(dir);
    fs.writeFileSync(
      path.join(dir, 'src/bad.ts'),
      ['export function* g(o: { k?: number } | undefined) {', '  const v = o?.[(yield 1) as unknown as "k"];', '  return v;', '}', ''].join('\n'),
    );
    const build = node([tspc, '-p', '.'], { cwd: dir });
    expect(build.status).not.toBe(0);
    expect(build.stdout).toMatch(/^src\/bad\.ts\(2,13\): error TS990001: corosplit cannot lower optional chaining with a yield in it yet \(in generator 'g'\)$/m);
    expect(build.stdout + build.stderr).not.toMatch(STACK_LINE);
    // The other files of the project are still lowered.
    expect(generatorSyntaxIn(fs.readFileSync(path.join(dir, 'out/fib.js'), 'utf8'))).toEqual([]);
  });

  it('tspc -b keeps failing on a rebuild with nothing changed (the error is in the build info, not lost)', () => {
    const dir = makeProject('module', 'nodenext');
    cleanup.push(dir);
    fs.writeFileSync(path.join(dir, 'src/bad.ts'), 'export function* g(o: any): Generator<number, unknown, string> {\n  return o?.[yield 1];\n}\n');
    for (const run of [1, 2]) {
      const build = node([tspc, '-b', '.'], { cwd: dir });
      expect(build.status, `run ${run}`).not.toBe(0);
      expect(build.stdout, `run ${run}`).toMatch(/^src\/bad\.ts\(2,10\): error TS990001: corosplit cannot lower optional chaining/m);
    }
    expect(fs.existsSync(path.join(dir, 'out/tsconfig.tsbuildinfo')) || fs.existsSync(path.join(dir, 'tsconfig.tsbuildinfo'))).toBe(true);
  });
});

describe('samples/tsconfig.json in the repository', () => {
  it('builds the samples with tspc and the built plugin', () => {
    const outDir = path.join(repoRoot, '.corosplit-tmp', `samples-${process.pid}`);
    cleanup.push(outDir);
    const build = node([tspc, '-p', 'samples/tsconfig.json', '--outDir', outDir]);
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    for (const f of samples) {
      const js = path.join(outDir, f.replace(/\.ts$/, '.js'));
      expect(generatorSyntaxIn(fs.readFileSync(js, 'utf8')), f).toEqual([]);
      // Inside the package, corosplit/runtime resolves by self-reference.
      const run = node([js]);
      expect(run.stderr, f).toBe('');
      expect(run.stdout.length, f).toBeGreaterThan(0);
    }
  });
});
