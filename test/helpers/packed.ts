// The package as a user gets it: `npm pack` of this repository, installed into fresh projects in
// the system temp directory (outside the repository, so nothing resolves back into it).
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './emitted.js';

const repoPackage = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

/** The version range this repository's own devDependencies pin for a tool (so npm's cache has it). */
export function devVersion(name: string): string {
  const v = repoPackage.devDependencies[name];
  if (!v) throw new Error(`${name} is not a devDependency of corosplit`);
  return v;
}

let tarball: string | undefined;
/** Packs dist/ and bin/ as `npm pack` does for a publish (dist is built by `npm test` first). */
export function packedTarball(): string {
  if (tarball) return tarball;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-pack-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8' });
  const name = (JSON.parse(out) as { filename: string }[])[0]!.filename;
  tarball = path.join(dir, name);
  return tarball;
}

/**
 * A fresh project with the tarball and `deps` installed, and the files of `fixture` (a folder under
 * test/fixtures) copied in. Returns its directory.
 */
export function freshProject(name: string, deps: Record<string, string>, fixture?: string, type: 'module' | 'commonjs' = 'module'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `corosplit-${name}-`));
  if (fixture) fs.cpSync(path.join(repoRoot, 'test', 'fixtures', fixture), dir, { recursive: true });
  const pkg = { name: `corosplit-${name}`, private: true, type, dependencies: { corosplit: `file:${packedTarball()}`, ...deps } };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`npm install in ${dir} failed:\n${r.stderr}`);
  return dir;
}

export function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NODE_OPTIONS: '', ...env } });
}

/** Every file below `dir`, relative, with forward slashes. */
export function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
}
