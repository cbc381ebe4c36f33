// Inputs at the edge of what the lowering can take: they must end in a diagnostic the user can act
// on, at the generator, never in "internal error" or an exception out of the transformer.
import { describe, expect, it } from 'vitest';
import { transformSource } from '../dist/transformer/index.js';
import { assertFreshDist } from './helpers/emitted.js';
import { both } from './helpers/lowered.js';

assertFreshDist();

describe('lowering limits', () => {
  it('a generator too long for the structuring pass (fuzzer finding F8) lowers, and runs as native', () => {
    // 300 sequential branches that each suspend on both arms, one arm inside a loop. The
    // structuring recursion along the dominator tree used to exhaust the host stack here; the
    // copies of every later branch in each resume function now send it to the dispatch shape.
    const stmt = (i: number): string => `  if (a > ${i}) { a += yield ${i}; } else { for (let j = 0; j < 2; j++) a += yield j; }`;
    const src = `const x = 1;\nfunction* g(a) {\n${Array.from({ length: 300 }, (_, i) => stmt(i)).join('\n')}\n}\nfunction* fine() { yield x; }\n`;
    const r = transformSource(src, { fileName: 'long.js', runtime: 'import' });
    expect(r.diagnostics).toEqual([]);
    expect(r.code).toMatch(/function g\$run\(/);
    const run = both(`${src}\nconst out = []; const it = g(150); for (let s = it.next(), k = 0; !s.done; s = it.next(k++ % 3)) out.push(s.value);\nvar result = out.join(',') + '|' + [...fine()];\n`);
    expect(run.lowered).toBe(run.native);
  }, 60_000);

  it('input nested too deeply for the compiler gets a located diagnostic naming the limit, quickly, never an internal error', () => {
    const cases: [string, string, RegExp][] = [
      ['parens.ts', `function* g() {\n  yield ${'('.repeat(5000)}1${')'.repeat(5000)};\n}\n`, /^parens\.ts:2:508: error: input too deeply nested: more than 500 brackets open inside one another here/],
      ['blocks.ts', `function* g() {\n  ${'{'.repeat(3000)}yield 1;${'}'.repeat(3000)}\n}\n`, /^blocks\.ts:2:502: error: input too deeply nested: more than 500 brackets/],
      ['chain.ts', `function* g() {\n  yield ${Array(10_000).fill('1').join(' + ')};\n}\n`, /^chain\.ts:2:\d+: error: input too deeply nested: an expression of more than 1000 operators/],
      ['huge-chain.ts', `export const x = ${Array(100_000).fill('1').join(' + ')};\nfunction* g() { yield x; }\n`, /^huge-chain\.ts:1:\d+: error: input too deeply nested: an expression of more than 1000 operators/],
    ];
    for (const [fileName, src, text] of cases) {
      const t = performance.now();
      const r = transformSource(src, { fileName });
      expect(performance.now() - t, fileName).toBeLessThan(5_000);
      expect(r.code).toBe('');
      expect(r.diagnostics.map((d) => d.text).join('\n'), fileName).toMatch(text);
      expect(r.diagnostics.some((d) => /internal error/.test(d.message))).toBe(false);
    }
    // A long list is not deep: 20,000 array elements and arguments lower as usual.
    const list = transformSource(`export const t = [${Array(20_000).fill('1').join(', ')}];\nfunction* g() { yield t.length; }\n`, { fileName: 'list.ts' });
    expect(list.diagnostics).toEqual([]);
  }, 60_000);
});
