// The fuzzer's minimal repros (test/differential/regressions.ts) run here as named regression
// tests: native and lowered results must be equal. Every finding so far (F1–F7) is fixed;
// FINDINGS.md keeps their history.
import { describe, expect, it } from 'vitest';
import { both } from './helpers/lowered.js';
import { regressions } from './differential/regressions.js';

const FIXED = new Set(['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7']);

describe('differential fuzzer regressions', () => {
  const fixed = regressions.filter((r) => FIXED.has(r.finding));
  it('has a case for every fixed finding', () => {
    expect(new Set(fixed.map((r) => r.finding))).toEqual(FIXED);
  });
  for (const r of fixed) {
    it(`${r.finding}: ${r.name}`, () => {
      const { native, lowered } = both(r.source);
      expect(lowered).toEqual(native);
    });
  }
});
