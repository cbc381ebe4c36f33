// Every way a user builds with corosplit, from the packed tarball installed into a fresh project:
// `corosplit build` on TypeScript 7, 6 and 5, the Node loader, and the bundler plugins (Vite build
// and dev server in chromium, Rollup, Rolldown, esbuild, webpack). The app (test/fixtures/routes-app)
// mixes generators across folders, a Task coroutine that only a type checker can recognise (and
// that awaits senders, so the sender core runs in every route, inside comptime() too, and a child
// task that runs elided), and
// comptime(); its generator-only entry also runs unlowered, as the oracle for the lowered builds.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatorSyntaxIn } from './helpers/emitted.js';
import { devVersion, freshProject, listFiles, run } from './helpers/packed.js';

// What the app computes, worked out here rather than copied from an output.
const firsts = [0, 1, 2, 3, 4];
const EXPECTED = JSON.stringify({ firsts, total: firsts.reduce((a, b) => a + b, 0), squares: [1, 2, 3, 4].map((x) => x * x), sumOfFirstTen: (9 * 10) / 2 });

let app: string;
/** The generator-only entry, run unlowered (esbuild strips the types, Node runs native generators). */
let plainExpected: string;

function node(cwd: string, file: string, args: string[] = []): { stdout: string; stderr: string; status: number | null } {
  return run(cwd, process.execPath, [...args, file]);
}

/** Writes a build script into the project and runs it there (as a user's build file would). */
function script(cwd: string, name: string, text: string): { stdout: string; stderr: string; status: number | null } {
  fs.writeFileSync(path.join(cwd, name), text);
  return node(cwd, name);
}

function noGenerators(file: string): void {
  const js = fs.readFileSync(file, 'utf8');
  expect(generatorSyntaxIn(js, file), file).toEqual([]);
}

beforeAll(() => {
  app = freshProject('app', {
    typescript: devVersion('typescript-7').replace(/^npm:typescript@/, ''),
    vite: devVersion('vite'),
    rollup: devVersion('rollup'),
    rolldown: devVersion('rolldown'),
    esbuild: devVersion('esbuild'),
    webpack: devVersion('webpack'),
    jest: devVersion('jest'),
    vitest: devVersion('vitest'),
    '@rspack/core': devVersion('@rspack/core'),
    bun: devVersion('bun'),
  }, 'routes-app');
  const esbuild = script(app, 'unlowered.mjs', `import { build } from 'esbuild';
await build({ entryPoints: ['src/plain.ts'], bundle: true, platform: 'node', format: 'esm', outfile: 'unlowered/plain.mjs' });`);
  expect(esbuild.status, esbuild.stderr).toBe(0);
  expect(fs.readFileSync(path.join(app, 'unlowered/plain.mjs'), 'utf8')).toMatch(/function\s*\*/);
  const r = node(app, 'unlowered/plain.mjs');
  expect(r.status, r.stderr).toBe(0);
  plainExpected = r.stdout;
  expect(JSON.parse(plainExpected)).toEqual({ tree: [1, 2, 3, 4], evens: [0, 2, 4, 6] });
}, 900_000);

describe('corosplit build', () => {
  it('TypeScript 7.0.2 as the project\'s typescript: rootDir/outDir kept, Task recognised through its API, comptime evaluated', () => {
    expect(JSON.parse(fs.readFileSync(path.join(app, 'node_modules/typescript/package.json'), 'utf8')).version).toBe('7.0.2');
    const b = run(app, path.join(app, 'node_modules/.bin/corosplit'), ['build']);
    expect(b.status, b.stderr).toBe(0);
    const sources = ['boom', 'browser', 'lib/seq', 'main', 'plain', 'tasks/env', 'tasks/sum'];
    expect(b.stderr).toMatch(new RegExp(`^corosplit: wrote ${sources.length * 2} of ${sources.length * 2} files in \\d+ ms$`, 'm'));
    expect(listFiles(path.join(app, 'build'))).toEqual(sources.flatMap((f) => [`${f}.js`, `${f}.js.map`]).sort());
    for (const f of ['main.js', 'lib/seq.js', 'tasks/sum.js', 'plain.js']) noGenerators(path.join(app, 'build', f));
    const sum = fs.readFileSync(path.join(app, 'build/tasks/sum.js'), 'utf8');
    expect(sum).toMatch(/\bTaskPromise\b/);
    // add() is a Task<number, WithOffset>: its frames get the Environment class, imported from
    // env.js although sum.ts imports it only as a type.
    expect(sum).toMatch(/import \{ WithOffset as (\w|\$)+ \} from "\.\/env\.js"/);
    // comptime() in a file that declares Task coroutines was evaluated, not left to throw at run time.
    expect(sum).toMatch(/sumOfFirstTen = 45\b/);
    // twice() is a plain Task child: sumAll runs it elided until it suspends (lowering.md,
    // "Speculative task elision"); every route runs that path, comptime() too.
    expect(sum).toMatch(/function twice\$fast\(/);
    expect(sum).toMatch(/coElided\(twice\$fast\(/);
    expect(sum).not.toMatch(/comptime\(/);
    expect(node(app, 'build/main.js').stdout.trim()).toBe(EXPECTED);
    expect(node(app, 'build/plain.js').stdout).toBe(plainExpected);
    // Source maps point back into src/.
    const map = JSON.parse(fs.readFileSync(path.join(app, 'build/tasks/sum.js.map'), 'utf8'));
    expect(path.resolve(app, 'build/tasks', map.sources[0])).toBe(path.join(app, 'src/tasks/sum.ts'));
  });
});

/** The bundle's output runs under Node and prints what the app computes; it has no generator left. */
function checkBundle(dir: string, main: string, plain: string): void {
  for (const f of [main, plain]) noGenerators(path.join(dir, f));
  const m = node(dir, main);
  expect(m.status, m.stderr).toBe(0);
  expect(m.stdout.trim()).toBe(EXPECTED);
  const p = node(dir, plain);
  expect(p.status, p.stderr).toBe(0);
  expect(p.stdout).toBe(plainExpected);
}

describe('corosplit build --watch', () => {
  it('rebuilds a file that changed, and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(path.join(app, 'node_modules/.bin/corosplit'), ['build', '--watch'], { cwd: app, env: { ...process.env, NODE_OPTIONS: '' } });
    let stderr = '';
    const watching = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no rebuild within 60 s:\n${stderr}`)), 60_000);
        const check = () => {
          if ((stderr.match(/watching for changes/g) ?? []).length >= count) {
            clearTimeout(timer);
            child.stderr.off('data', check);
            resolve();
          }
        };
        child.stderr.on('data', (d) => {
          stderr += String(d);
          check();
        });
        check();
      });
    const seq = path.join(app, 'src/lib/seq.ts');
    const original = fs.readFileSync(seq, 'utf8');
    try {
      await watching(1);
      fs.writeFileSync(seq, `${original}\nexport function* watched(): Generator<string> { yield 'rebuilt'; }\n`);
      await watching(2);
      const js = fs.readFileSync(path.join(app, 'build/lib/seq.js'), 'utf8');
      expect(js).toContain('rebuilt');
      expect(generatorSyntaxIn(js)).toEqual([]);
    } finally {
      fs.writeFileSync(seq, original);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 120_000);
});

describe('reproducible output', () => {
  it('corosplit build writes byte-identical files across two runs and from two checkout paths', () => {
    const snapshot = (dir: string) => new Map(listFiles(path.join(dir, 'build')).map((f) => [f, fs.readFileSync(path.join(dir, 'build', f), 'utf8')]));
    const build = (dir: string) => {
      fs.rmSync(path.join(dir, 'build'), { recursive: true, force: true });
      const r = run(dir, path.join(app, 'node_modules/.bin/corosplit'), ['build']);
      expect(r.status, r.stderr).toBe(0);
      return snapshot(dir);
    };
    const first = build(app);
    expect(first.size).toBeGreaterThan(0);
    expect(build(app)).toEqual(first);
    // The same project at another path (its own comptime cache, the same installed packages).
    const other = fs.mkdtempSync(path.join(path.dirname(app), 'corosplit-app-elsewhere-'));
    for (const f of ['src', 'tsconfig.json', 'package.json']) fs.cpSync(path.join(app, f), path.join(other, f), { recursive: true });
    fs.mkdirSync(path.join(other, 'node_modules'));
    for (const dep of fs.readdirSync(path.join(app, 'node_modules'))) {
      if (dep !== '.cache') fs.symlinkSync(path.join(app, 'node_modules', dep), path.join(other, 'node_modules', dep));
    }
    expect(build(other)).toEqual(first);
  });
});

describe('corosplit build and ts-patch on TypeScript 5 and 6', () => {
  const versions = [
    ['6.0.3', devVersion('typescript')],
    ['5.9.3', devVersion('typescript-5').replace(/^npm:typescript@/, '')],
    // The lowest version the peer range admits.
    ['5.4.5', '5.4.5'],
  ] as const;
  for (const [label, version] of versions) {
    it(`TypeScript ${label}: corosplit build (the project's program type-checks, Task recognised by its checker, layout kept) and tspc`, () => {
      const dir = freshProject(`ts${label}`, { typescript: version, 'ts-patch': devVersion('ts-patch') }, 'routes-app');
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/typescript/package.json'), 'utf8')).version).toBe(label);
      // The browser entry needs DOM types: this project builds for Node.
      fs.rmSync(path.join(dir, 'src/browser.ts'));
      const b = run(dir, path.join(dir, 'node_modules/.bin/corosplit'), ['build']);
      expect(b.status, b.stderr).toBe(0);
      const sources = ['boom', 'lib/seq', 'main', 'plain', 'tasks/env', 'tasks/sum'];
      expect(listFiles(path.join(dir, 'build'))).toEqual(sources.flatMap((f) => [`${f}.js`, `${f}.js.map`]).sort());
      for (const f of ['main.js', 'lib/seq.js', 'tasks/sum.js', 'plain.js']) noGenerators(path.join(dir, 'build', f));
      expect(node(dir, 'build/main.js').stdout.trim()).toBe(EXPECTED);
      expect(node(dir, 'build/plain.js').stdout).toBe(plainExpected);
      if (label === '6.0.3') {
        // lowered for size through the project's program: same results
        const small = run(dir, path.join(dir, 'node_modules/.bin/corosplit'), ['build', '--optimize', 'size', '--out-dir', 'build-size']);
        expect(small.status, small.stderr).toBe(0);
        expect(fs.readFileSync(path.join(dir, 'build-size/plain.js'), 'utf8')).toMatch(/delegateTo\(/);
        expect(node(dir, 'build-size/main.js').stdout.trim()).toBe(EXPECTED);
        expect(node(dir, 'build-size/plain.js').stdout).toBe(plainExpected);
      }

      // ts-patch 3.3 (tspc) with the tsconfig plugin entry, resolved through the installed package.
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'));
      config.compilerOptions.outDir = 'tspc-out';
      config.compilerOptions.plugins = [{ transform: 'corosplit/transformer' }];
      fs.writeFileSync(path.join(dir, 'tsconfig.tspc.json'), JSON.stringify(config));
      const t = run(dir, process.execPath, ['node_modules/ts-patch/bin/tspc.js', '-p', 'tsconfig.tspc.json']);
      expect(t.status, t.stdout + t.stderr).toBe(0);
      for (const f of ['main.js', 'lib/seq.js', 'tasks/sum.js', 'plain.js']) noGenerators(path.join(dir, 'tspc-out', f));
      expect(node(dir, 'tspc-out/main.js').stdout.trim()).toBe(EXPECTED);
      expect(node(dir, 'tspc-out/plain.js').stdout).toBe(plainExpected);

      // A type error stops corosplit build, at its position.
      fs.writeFileSync(path.join(dir, 'src/typo.ts'), 'export const n: number = "one";\n');
      const bad = run(dir, path.join(dir, 'node_modules/.bin/corosplit'), ['build']);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/src\/typo\.ts:1:14: error: Type 'string' is not assignable to type 'number'/);
    }, 600_000);
  }
});

describe('bundler plugins', () => {
  it('Vite 8 build (SSR entries for Node)', () => {
    fs.writeFileSync(path.join(app, 'vite.config.mjs'), `import corosplit from 'corosplit/vite';
export default { plugins: [corosplit()], logLevel: 'warn' };`);
    for (const entry of ['main', 'plain']) {
      const r = run(app, process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--ssr', `src/${entry}.ts`, '--outDir', `out-vite/${entry}`, '--emptyOutDir']);
      expect(r.status, r.stderr + r.stdout).toBe(0);
    }
    checkBundle(app, 'out-vite/main/main.js', 'out-vite/plain/plain.js');
  });

  it('Rollup 4', () => {
    const r = script(app, 'rollup.build.mjs', `import { rollup } from 'rollup';
import corosplit from 'corosplit/rollup';
import fs from 'node:fs';
import { transformSync } from 'esbuild';
// Rollup resolves neither TypeScript sources nor packages by itself: map ./x.js to ./x.ts, keep packages external.
const tsResolve = { name: 'ts-resolve', resolveId(id, importer) {
  if (importer && id.startsWith('.') && id.endsWith('.js')) { const ts = new URL(id.replace(/\\.js$/, '.ts'), 'file://' + importer).pathname; if (fs.existsSync(ts)) return ts; }
  return null;
} };
// Nor does it strip types: corosplit returns JavaScript for the files it lowers, and a Rollup
// build with TypeScript has a plugin for the others (here esbuild's transform).
const tsStrip = { name: 'ts-strip', transform(code, id) {
  return id.endsWith('.ts') ? transformSync(code, { loader: 'ts', format: 'esm', target: 'es2022' }).code : null;
} };
for (const entry of ['main', 'plain']) {
  const bundle = await rollup({ input: 'src/' + entry + '.ts', plugins: [tsResolve, corosplit(), tsStrip], external: (id) => id.startsWith('corosplit/') });
  await bundle.write({ file: 'out-rollup/' + entry + '.mjs', format: 'es' });
}`);
    expect(r.status, r.stderr).toBe(0);
    checkBundle(app, 'out-rollup/main.mjs', 'out-rollup/plain.mjs');
  });

  it('Rolldown', () => {
    const r = script(app, 'rolldown.build.mjs', `import { build } from 'rolldown';
import corosplit from 'corosplit/rolldown';
for (const entry of ['main', 'plain']) {
  await build({ input: 'src/' + entry + '.ts', plugins: [corosplit()], platform: 'node', resolve: { extensionAlias: { '.js': ['.ts', '.js'] } }, output: { file: 'out-rolldown/' + entry + '.mjs', format: 'es' }, logLevel: 'warn' });
}`);
    expect(r.status, r.stderr).toBe(0);
    checkBundle(app, 'out-rolldown/main.mjs', 'out-rolldown/plain.mjs');
  });

  it('esbuild 0.28', () => {
    const r = script(app, 'esbuild.build.mjs', `import { build } from 'esbuild';
import corosplit from 'corosplit/esbuild';
await build({ entryPoints: ['src/main.ts', 'src/plain.ts'], bundle: true, platform: 'node', format: 'esm', outdir: 'out-esbuild', outExtension: { '.js': '.mjs' }, plugins: [corosplit()], logLevel: 'warning' });`);
    expect(r.status, r.stderr).toBe(0);
    checkBundle(app, 'out-esbuild/main.mjs', 'out-esbuild/plain.mjs');
  });

  it("esbuild 0.28 with optimize: 'size': the same results from a smaller bundle", () => {
    const r = script(app, 'esbuild-size.build.mjs', `import { build } from 'esbuild';
import corosplit from 'corosplit/esbuild';
await build({ entryPoints: ['src/main.ts', 'src/plain.ts'], bundle: true, platform: 'node', format: 'esm', outdir: 'out-esbuild-size', outExtension: { '.js': '.mjs' }, plugins: [corosplit({ optimize: 'size' })], logLevel: 'warning' });`);
    expect(r.status, r.stderr).toBe(0);
    checkBundle(app, 'out-esbuild-size/main.mjs', 'out-esbuild-size/plain.mjs');
    // plain.ts walks a tree with yield*: lowered for size, that is one runtime call
    const plain = fs.readFileSync(path.join(app, 'out-esbuild-size/plain.mjs'), 'utf8');
    expect(plain).toMatch(/delegateTo\(/);
    expect(plain).not.toMatch(/\$next\b/);
    expect(fs.statSync(path.join(app, 'out-esbuild-size/plain.mjs')).size).toBeLessThan(fs.statSync(path.join(app, 'out-esbuild/plain.mjs')).size);
  });

  /** A webpack-API build (webpack and Rspack share it) of both entries with the plugin. */
  const webpackLike = (name: 'webpack' | 'rspack', importLine: string, factory: string, extra: string): void => {
    const r = script(app, `${name}.build.mjs`, `${importLine}
import corosplit from 'corosplit/${name}';
import path from 'node:path';
const compiler = ${factory}({
  mode: 'production', target: 'node',
  entry: { main: './src/main.ts', plain: './src/plain.ts' },
  output: { path: path.resolve('out-${name}'), filename: '[name].cjs' },
  resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
  optimization: { minimize: false },
  plugins: [corosplit()],${extra}
});
compiler.run((err, stats) => {
  if (err || stats.hasErrors()) { console.error(err ?? stats.toString('errors-only')); process.exitCode = 1; }
  compiler.close(() => {});
});`);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    checkBundle(app, `out-${name}/main.cjs`, `out-${name}/plain.cjs`);
  };

  it('webpack 5', () => {
    webpackLike('webpack', `import webpack from 'webpack';`, 'webpack', `\n  devtool: 'source-map',`);
  });

  it('Rspack', () => {
    // Rspack strips types only with its swc loader; corosplit's pre loader runs before it.
    webpackLike('rspack', `import { rspack } from '@rspack/core';`, 'rspack', `\n  devtool: false,\n  module: { rules: [{ test: /\\.ts$/, loader: 'builtin:swc-loader', options: { jsc: { parser: { syntax: 'typescript' } } }, type: 'javascript/auto' }] },`);
  });

  it('Bun.build', () => {
    fs.writeFileSync(path.join(app, 'bun.build.mjs'), `import corosplit from 'corosplit/bun';
const r = await Bun.build({ entrypoints: ['src/main.ts', 'src/plain.ts'], target: 'node', format: 'esm', outdir: 'out-bun', naming: '[name].mjs', plugins: [corosplit()] });
if (!r.success) { for (const l of r.logs) console.error(String(l)); process.exit(1); }`);
    const r = run(app, path.join(app, 'node_modules/.bin/bun'), ['bun.build.mjs']);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    checkBundle(app, 'out-bun/main.mjs', 'out-bun/plain.mjs');
  });

  it('the plugin\'s source map composes with the bundler\'s: a throw in lowered code is reported at its .ts line (esbuild, Vite)', () => {
    const e = script(app, 'esbuild.maps.mjs', `import { build } from 'esbuild';
import corosplit from 'corosplit/esbuild';
await build({ entryPoints: ['src/boom.ts'], bundle: true, platform: 'node', format: 'esm', sourcemap: true, outfile: 'out-maps/esbuild-boom.mjs', plugins: [corosplit()], logLevel: 'warning' });`);
    expect(e.status, e.stderr).toBe(0);
    fs.writeFileSync(path.join(app, 'vite.maps.config.mjs'), `import corosplit from 'corosplit/vite';
export default { plugins: [corosplit()], logLevel: 'warn' };`);
    const v = run(app, process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'vite.maps.config.mjs', '--ssr', 'src/boom.ts', '--outDir', 'out-maps/vite', '--sourcemap', '--emptyOutDir']);
    expect(v.status, v.stderr + v.stdout).toBe(0);
    for (const out of ['out-maps/esbuild-boom.mjs', 'out-maps/vite/boom.js']) {
      noGenerators(path.join(app, out));
      const r = node(app, out, ['--enable-source-maps']);
      expect(r.status, out).toBe(1);
      expect(r.stdout).toBe('1\n');
      // boom.ts line 3: `throw new Error('boom from line 3 of boom.ts');`
      expect(r.stderr, out).toMatch(/src[\\/]boom\.ts:3:\d+/);
    }
  });

  it('a lowering error is a bundler error at file:line:col, with no stack from corosplit', () => {
    fs.mkdirSync(path.join(app, 'bad'), { recursive: true });
    fs.writeFileSync(path.join(app, 'bad/bad.ts'), 'export function* g(o: any) {\n  o?.m(yield 1);\n}\n');
    const r = script(app, 'esbuild.bad.mjs', `import { build } from 'esbuild';
import corosplit from 'corosplit/esbuild';
try {
  await build({ entryPoints: ['bad/bad.ts'], bundle: true, write: false, plugins: [corosplit()], logLevel: 'silent' });
} catch (e) {
  for (const m of e.errors) console.log(JSON.stringify({ text: m.text, file: m.location?.file, line: m.location?.line, column: m.location?.column }));
  process.exitCode = 3;
}`);
    expect(r.status).toBe(3);
    const e = JSON.parse(r.stdout.trim().split('\n')[0]!);
    expect(e.text).toContain("bad.ts:2:3: error: corosplit cannot lower optional call with a yield in it yet (in generator 'g')");
    expect(e.line).toBe(2);
    expect(e.text).not.toMatch(/node_modules[\\/]corosplit[\\/]dist/);
  });
});

describe('the run-time guard for builds that skipped corosplit', () => {
  it('an unlowered Task coroutine (esbuild without the plugin) throws an error that says what happened and how to fix it', () => {
    fs.mkdirSync(path.join(app, 'guard'), { recursive: true });
    fs.writeFileSync(path.join(app, 'guard/app.ts'), `import { syncWait, type Task } from 'corosplit/runtime';
function* answer(): Task<number> { return 42; }
console.log(syncWait(answer()));
`);
    const b = script(app, 'guard.build.mjs', `import { build } from 'esbuild';
await build({ entryPoints: ['guard/app.ts'], bundle: true, platform: 'node', format: 'esm', outfile: 'guard/out.mjs', logLevel: 'warning' });`);
    expect(b.status, b.stderr).toBe(0);
    const r = node(app, 'guard/out.mjs');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('got a generator object where a Task was expected');
    expect(r.stderr).toContain('was not lowered by corosplit');
    expect(r.stderr).toContain("'corosplit build'");
  });
});

describe('Vitest', () => {
  it('picks corosplit up through the Vite config', () => {
    fs.writeFileSync(path.join(app, 'vitest.config.mjs'), `import corosplit from 'corosplit/vite';
export default { plugins: [corosplit()], test: { include: ['vitest/**/*.test.ts'] } };`);
    const r = run(app, process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.config.mjs']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tests\s+.*2 passed/);
  }, 300_000);
});

describe('Jest (CommonJS mode)', () => {
  it('corosplit/jest lowers the modules a test imports; the runtime loads as CommonJS', () => {
    fs.writeFileSync(path.join(app, 'jest.config.cjs'), `module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/jest'],
  transform: { '\\\\.[cm]?[jt]sx?$': 'corosplit/jest' },
  moduleNameMapper: { '^(\\\\.{1,2}/.*)\\\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'json'],
};`);
    const r = run(app, process.execPath, ['node_modules/jest/bin/jest.js', '--ci', '--no-cache']);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
  }, 300_000);
});

describe('ts-jest with corosplit/ts-jest as an astTransformers entry (TypeScript 6.0.3)', () => {
  it('lowers through ts-jest\'s own program, so Task coroutines are recognised by its checker', () => {
    const dir = freshProject('tsjest', { typescript: devVersion('typescript'), jest: devVersion('jest'), 'ts-jest': devVersion('ts-jest') }, 'routes-app', 'commonjs');
    fs.writeFileSync(path.join(dir, 'jest.config.cjs'), `module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/jest'],
  transform: { '^.+\\\\.ts$': ['ts-jest', {
    tsconfig: { module: 'commonjs', target: 'es2022', strict: true, skipLibCheck: true, esModuleInterop: true, types: [] },
    diagnostics: false,
    astTransformers: { before: [{ path: 'corosplit/ts-jest' }] },
  }] },
  moduleNameMapper: { '^(\\\\.{1,2}/.*)\\\\.js$': '$1' },
};`);
    const r = run(dir, process.execPath, ['node_modules/jest/bin/jest.js', '--ci', '--no-cache']);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toMatch(/Tests:\s+3 passed, 3 total/);
  }, 600_000);
});

describe('Node loader (corosplit/register)', () => {
  it('runs a .ts entry that imports .ts modules, with Task and comptime', () => {
    const r = run(app, process.execPath, ['--import', 'corosplit/register', 'src/main.ts']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(EXPECTED);
    const p = run(app, process.execPath, ['--import', 'corosplit/register', 'src/plain.ts']);
    expect(p.stdout).toBe(plainExpected);
  });

  it('maps a stack trace to the .ts line', () => {
    const r = run(app, process.execPath, ['--import', 'corosplit/register', 'src/boom.ts']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toContain('boom from line 3 of boom.ts');
    expect(r.stderr).toMatch(new RegExp(`${path.join(app, 'src', 'boom.ts').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3\\b`));
  });
});

describe('Vite dev server in chromium', () => {
  it('serves lowered modules (no function* in the served JS) and the page computes the results', async () => {
    const vite = await import(pathToFileURL(path.join(app, 'node_modules/vite/dist/node/index.js')).href);
    const corosplit = (await import(pathToFileURL(path.join(app, 'node_modules/corosplit/dist/transformer/plugins/vite.js')).href)).default;
    const server = await vite.createServer({ root: app, configFile: false, plugins: [corosplit()], logLevel: 'silent', server: { host: '127.0.0.1', port: 0, strictPort: false } });
    await server.listen();
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const address = server.httpServer.address();
      const base = `http://127.0.0.1:${address.port}`;
      const page = await browser.newPage();
      const served: string[] = [];
      page.on('response', async (res) => {
        if (!/\/src\/.*\.ts/.test(res.url()) || res.status() !== 200) return;
        // A response whose page went away (the HMR reload) has no body left to read.
        const body = await res.text().catch(() => undefined);
        if (body !== undefined) served.push(`${res.url()}\n${body}`);
      });
      await page.goto(`${base}/`);
      await page.waitForFunction(() => document.getElementById('out')?.textContent !== 'not run', undefined, { timeout: 30_000 });
      expect(await page.textContent('#out')).toBe(EXPECTED);
      const byName = (n: string) => served.find((s) => s.startsWith(`${base}/src/${n}`));
      for (const n of ['lib/seq.ts', 'tasks/sum.ts', 'main.ts']) {
        const text = byName(n);
        expect(text, n).toBeDefined();
        expect(generatorSyntaxIn(text!.slice(text!.indexOf('\n') + 1)), n).toEqual([]);
      }
      // An edit while the server runs: Vite's HMR reloads the page, main.ts is lowered again and
      // its comptime() evaluated again.
      const mainTs = path.join(app, 'src/main.ts');
      const original = fs.readFileSync(mainTs, 'utf8');
      try {
        fs.writeFileSync(mainTs, original.replace('(x) => x * x)', '(x) => x * x * x)'));
        const cubes = JSON.stringify({ ...JSON.parse(EXPECTED), squares: [1, 2, 3, 4].map((x) => x * x * x) });
        await page.waitForFunction((want) => document.getElementById('out')?.textContent === want, cubes, { timeout: 30_000 });
      } finally {
        fs.writeFileSync(mainTs, original);
      }
    } finally {
      await browser.close();
      await server.close();
    }
  }, 120_000);
});
