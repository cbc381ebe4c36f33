// Checks on emitted JavaScript shared by the end-to-end tests.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
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
