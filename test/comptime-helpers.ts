// Shared helpers for the comptime tests: run a function body through the evaluator and natively,
// so most tests check the evaluator against V8 itself rather than against hand-written answers.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { evaluateComptime, type EvaluateOptions, type ComptimeResult } from '../transformer/comptime/index.js';

export function run(code: string, extra: Partial<EvaluateOptions> = {}): ComptimeResult {
  return evaluateComptime(ts, { code, fileName: 'src/main.js', ...extra });
}

/** Evaluates `body` (a function body) at build time and returns the rebuilt value. */
export function guest(body: string, extra: Partial<EvaluateOptions> = {}): unknown {
  const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\n${body}\n});`, extra);
  if (!r.ok) throw new Error(`${r.diagnostic.message}\n  ${r.diagnostic.notes.join('\n  ')}`);
  return (0, eval)(r.expression);
}

export function native(body: string): unknown {
  return new Function(`"use strict";\n${body}`)();
}

export function diag(body: string, extra: Partial<EvaluateOptions> = {}) {
  const r = run(`import { comptime } from 'corosplit/runtime';\nexport const v = comptime(() => {\n${body}\n});`, extra);
  if (r.ok) throw new Error(`expected a diagnostic, got ${r.expression}`);
  return r.diagnostic;
}

/** Builds dist/runtime when it is missing or older than runtime/*.ts: some tests run the real runtime as guest code. */
export function ensureRuntimeBuilt(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const dist = path.join(root, 'dist/runtime/index.js');
  const newestSource = Math.max(...readdirSync(path.join(root, 'runtime')).map((f) => statSync(path.join(root, 'runtime', f)).mtimeMs));
  if (existsSync(dist) && statSync(dist).mtimeMs >= newestSource) return;
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root });
}
