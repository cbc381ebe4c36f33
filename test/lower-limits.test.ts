// Inputs at the edge of what the lowering can take: they must end in a diagnostic the user can act
// on, at the generator, never in "internal error" or an exception out of the transformer.
import { describe, expect, it } from 'vitest';
import { transformSource } from '../dist/transformer/index.js';
import { assertFreshDist } from './helpers/emitted.js';

assertFreshDist();

describe('lowering limits', () => {
  it('a generator too long for the structuring pass (fuzzer finding F8) gets a positioned diagnostic', () => {
    // 300 sequential branches that each suspend on both arms, one arm inside a loop: the
    // structuring recursion along the dominator tree exhausts the default host stack.
    const stmt = (i: number): string => `  if (a > ${i}) { a += yield ${i}; } else { for (let j = 0; j < 2; j++) a += yield j; }`;
    const src = `const x = 1;\nfunction* g(a) {\n${Array.from({ length: 300 }, (_, i) => stmt(i)).join('\n')}\n}\nfunction* fine() { yield x; }\n`;
    const r = transformSource(src, { fileName: 'long.js', runtime: 'import' });
    expect(r.code).toBe('');
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect([d.file, d.line, d.column]).toEqual(['long.js', 2, 1]);
    expect(d.message).toBe(
      "corosplit cannot lower generator 'g': its control flow is too long for the structuring pass (it exhausted the stack); split it into smaller functions, or run the build with a larger stack (node --stack-size=N)",
    );
  }, 60_000);
});
