// Per-construct golden tests, one small behaviour each (as LLVM's tests under test/Transforms/Coroutines
// are): for every test/golden/constructs/NAME.js, the IR of each coroutine (ir-print.ts) must equal
// NAME.ir.txt and the lowered file (runtime imported) must equal NAME.out.js. A change to the
// lowering shows up here as a readable diff of exactly what it changed. The same input also runs
// lowered (inline runtime) and native, and the two results must agree, so a golden file cannot
// record wrong output.
//
// After an intended change: UPDATE_GOLDEN=1 npx vitest run test/lower-golden.test.ts, then review
// the diff of test/golden/constructs/ before committing it.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { transformSource } from '../transformer/index.js';
import { printIR } from '../transformer/lower/ir-print.js';
import { both } from './helpers/lowered.js';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden', 'constructs');
const update = process.env.UPDATE_GOLDEN === '1';
const inputs = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.js') && !f.endsWith('.out.js'))
  .sort();

/** Compares `actual` with the golden file, or (UPDATE_GOLDEN=1) writes it. */
function golden(file: string, actual: string): void {
  const p = path.join(dir, file);
  if (update) {
    fs.writeFileSync(p, actual);
    return;
  }
  expect(fs.existsSync(p), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/lower-golden.test.ts`).toBe(true);
  expect(actual).toBe(fs.readFileSync(p, 'utf8'));
}

describe('per-construct goldens: IR and output', () => {
  it('has inputs', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(10);
  });
  for (const input of inputs) {
    const name = input.slice(0, -'.js'.length);
    const source = fs.readFileSync(path.join(dir, input), 'utf8');
    it(name, () => {
      const irs: string[] = [];
      const out = transformSource(source, {
        fileName: input,
        runtime: 'import',
        sourceMap: false,
        onCoroutine: (c) => irs.push(printIR(ts, c.ir, c.sourceFile)),
      });
      expect(out.diagnostics.filter((d) => d.category === 'error')).toEqual([]);
      expect(irs.length).toBeGreaterThan(0);
      golden(`${name}.ir.txt`, irs.join('\n\n') + '\n');
      golden(`${name}.out.js`, out.code.endsWith('\n') ? out.code : out.code + '\n');
      const { native, lowered } = both(source);
      expect(native).toBeDefined();
      expect(lowered).toEqual(native);
    });
  }
});
