// Checks on emitted JavaScript shared by the end-to-end tests.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Generator functions and yield expressions left in a JS text (found by parsing, so comments and strings do not count). */
export function generatorSyntaxIn(js: string, fileName = 'out.js'): string[] {
  const sf = ts.createSourceFile(fileName, js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) && n.asteriskToken) {
      found.push(`generator function at ${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`);
    }
    if (ts.isYieldExpression(n)) found.push(`yield at ${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

export function node(args: string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd: options.cwd ?? repoRoot, encoding: 'utf8', input: options.input, timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
}

/** Lines of a stack trace, as node prints them. */
export const STACK_LINE = /^\s+at /m;

/**
 * The end-to-end tests run the built package (dist/). Fail at once, with the fix, when it is
 * missing or older than its sources, instead of testing yesterday's build.
 */
export function assertFreshDist(): void {
  const newest = (dir: string, ext: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile() && e.name.endsWith(ext) && !e.name.endsWith('.d.ts')) t = Math.max(t, fs.statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs);
    }
    return t;
  };
  const dist = path.join(repoRoot, 'dist');
  if (!fs.existsSync(path.join(dist, 'transformer/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  for (const src of ['transformer', 'runtime']) {
    if (newest(path.join(repoRoot, src), '.ts') > newest(path.join(dist, src), '.js')) throw new Error(`dist/${src} is older than ${src}/: run \`npm run build\` (npm test does it)`);
  }
}
