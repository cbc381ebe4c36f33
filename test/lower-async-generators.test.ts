// Async generators and `for await`, lowered the way build-time evaluation lowers them
// (lowerAsync), run by Node against the same programs run natively. Each program logs every
// settled request and the interleaving with other async work, so the request queue, the awaits
// of yield/return operands, yield* forwarding and the closing of async and sync iterators must
// match Node's exactly. (test/comptime-transform.test.ts runs them inside the evaluator.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { transformSource } from '../dist/transformer/index.js';
import { assertFreshDist, generatorSyntaxIn, node, repoRoot } from './helpers/emitted.js';

assertFreshDist();

const fixtures = path.join(repoRoot, 'test/fixtures/async-generators');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corosplit-async-gen-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const runtimeModule = pathToFileURL(path.join(repoRoot, 'dist/runtime/index.js')).href;

function runBoth(name: string): { native: string; lowered: string; code: string } {
  const source = fs.readFileSync(path.join(fixtures, name), 'utf8');
  const lowered = transformSource(source, { fileName: path.join(fixtures, name), lowerAsync: true, comptime: false, runtimeModule, sourceMap: false });
  expect(lowered.diagnostics).toEqual([]);
  const nativeJs = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const out = (js: string, file: string): string => {
    fs.writeFileSync(path.join(dir, file), js);
    const r = node([path.join(dir, file)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };
  return { native: out(nativeJs, `${name}.native.mjs`), lowered: out(lowered.code, `${name}.lowered.mjs`), code: lowered.code };
}

describe('lowered async generators and for await behave like native ones', () => {
  for (const name of fs.readdirSync(fixtures).sort()) {
    it(name, () => {
      const { native, lowered, code } = runBoth(name);
      expect(native.split('\n').length).toBeGreaterThan(20);
      expect(lowered).toBe(native);
      // Nothing async is left for the evaluator to run natively.
      expect(generatorSyntaxIn(code)).toEqual([]);
      expect(code).not.toMatch(/\basync\b|\bawait\b/);
    });
  }
});
