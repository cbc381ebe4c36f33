// comptime() under `tspc --watch`: a change to a file an evaluation read (here two imports away,
// an implementation-only change that leaves every declaration's type as it was) gives a new
// literal in the next emit. The persistent cache is on, as in a real build, so this also checks
// that its key covers the transitive sources.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFreshDist, repoRoot } from './helpers/emitted.js';

assertFreshDist();

const tspc = path.join(repoRoot, 'node_modules/ts-patch/bin/tspc.js');
let dir: string;
let watcher: ChildProcess | undefined;
let log = '';

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-watch-')));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/corosplit'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'watched', private: true, type: 'module' }));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', rootDir: 'src', outDir: 'out', strict: true, skipLibCheck: true, plugins: [{ transform: 'corosplit/transformer' }] },
      include: ['src'],
    }),
  );
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export function base(): number {\n  return 10;\n}\n');
  fs.writeFileSync(path.join(dir, 'src/mid.ts'), "import { base } from './lib.js';\nexport function twice(): number {\n  return base() * 2;\n}\n");
  fs.writeFileSync(path.join(dir, 'src/main.ts'), "import { comptime } from 'corosplit/comptime';\nimport { twice } from './mid.js';\nexport const value = comptime(() => twice() + 1);\n");
});

afterAll(() => {
  watcher?.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Polls until `out/main.js` holds `expected` (tsc's watch debounces changes by 250 ms). */
async function emitted(expected: string, timeoutMs = 60_000): Promise<string> {
  const file = path.join(dir, 'out/main.js');
  const until = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < until) {
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.includes(expected)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`out/main.js never contained ${JSON.stringify(expected)}; it holds ${JSON.stringify(text)}; tspc said:\n${log}`);
}

describe('tspc --watch', () => {
  it('re-evaluates a comptime() call when a file it read two imports away changes', async () => {
    watcher = spawn(process.execPath, [tspc, '--watch', '--preserveWatchOutput', '-p', '.'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    watcher.stdout!.on('data', (d) => (log += d));
    watcher.stderr!.on('data', (d) => (log += d));
    expect(await emitted('export const value = 21;')).not.toContain('comptime(');
    fs.writeFileSync(path.join(dir, 'src/lib.ts'), 'export function base(): number {\n  return 21;\n}\n');
    expect(await emitted('export const value = 43;')).not.toContain('comptime(');
    expect(log).not.toMatch(/error TS\d+|Found [1-9]\d* errors?/);
  }, 150_000);
});
