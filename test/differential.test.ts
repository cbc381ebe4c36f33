// Differential testing: random generator programs must leave the same trace natively and lowered.
// The long mode is scripts/fuzz.mjs; this is the bounded run, on small programs and fixed seeds.
import { describe, expect, it } from 'vitest';
import { transformSource } from '../dist/transformer/index.js';
import { generate, programText } from './differential/generate.js';
import { check, describeExecution, report, runSeed, shrink, type Lower } from './differential/run.js';
import { KNOWN_FAILING_SMALL_SEEDS } from './differential/known-failing.js';

const lower: Lower = (source) => {
  const r = transformSource(source, { fileName: 'program.js', runtime: 'inline', sourceMap: false });
  return { code: r.code, errors: r.diagnostics.filter((d) => d.category === 'error').map((d) => d.text) };
};

const FIRST = 1;
const COUNT = 300;
const known = new Set(KNOWN_FAILING_SMALL_SEEDS);
const seeds = Array.from({ length: COUNT }, (_, i) => FIRST + i).filter((s) => !known.has(s));

describe('the fuzzer itself', () => {
  it('generates the same program for the same seed and different ones for different seeds', () => {
    expect(programText(generate(42).root)).toBe(programText(generate(42).root));
    expect(programText(generate(42).root)).not.toBe(programText(generate(43).root));
    expect(programText(generate(42, { size: 'small' }).root)).toBe(programText(generate(42, { size: 'small' }).root));
  });

  it('produces programs that run natively (no syntax errors, no timeouts) with non-trivial traces', () => {
    const identity: Lower = (code) => ({ code, errors: [], keepsGenerators: true });
    let lines = 0;
    let referenceErrors = 0;
    for (let s = 1; s <= 60; s++) {
      const o = check(generate(s, { size: 'small' }).root, identity);
      expect(o.kind, `seed ${s}: ${o.detail}`).toBe('pass');
      lines += o.native!.trace.length;
      // A program that dies on an undeclared name tests nothing past that point.
      if (o.native!.trace.some((l) => l.includes('ReferenceError'))) referenceErrors++;
    }
    expect(lines / 60).toBeGreaterThan(5);
    expect(referenceErrors).toBe(0);
  });

  it('catches a planted lowering bug and shrinks it to a small program that still shows it', () => {
    // A fake lowering that changes one initial value: only programs that observe a0 can tell.
    const planted: Lower = (code) => ({ code: code.replace("let a0 = 1, a1 = 's'", "let a0 = 2, a1 = 's'"), errors: [], keepsGenerators: true });
    const seed = Array.from({ length: 200 }, (_, i) => i + 1).find((s) => check(generate(s, { size: 'small' }).root, planted).kind === 'mismatch');
    expect(seed).toBeDefined();
    const p = generate(seed!, { size: 'small' });
    const { root } = shrink(p.root, planted, 'mismatch', 1000);
    const small = programText(root);
    const o = check(root, planted);
    expect(o.kind).toBe('mismatch');
    expect(o.native!.trace).not.toEqual(o.lowered!.trace);
    expect(small).toMatch(/\ba0\b[^]*\ba0\b/);
    expect(small.length).toBeLessThan(programText(p.root).length);
    expect(small.split('\n').length).toBeLessThanOrEqual(6);
  });
});

describe('lowered generators match native ones on random programs', () => {
  for (const seed of seeds) {
    it(`seed ${seed}`, () => {
      const { outcome, failure } = runSeed(seed, lower, { gen: { size: 'small' } });
      const why = failure ? report(failure) : outcome.detail ?? '';
      // The lowering refusing a program is a failure here too: the generator only emits what it supports.
      expect(outcome.kind, why).toBe('pass');
      expect(describeExecution(outcome.lowered), why).toBe(describeExecution(outcome.native));
    });
  }
});

// Issue 13's divergences: a generator driven from its own yield operands and called through a
// rebound name. The long run is `npm run fuzz -- --focus reentry --count 10000`.
describe('random programs focused on re-entry and rebinding', () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`seed ${seed}`, () => {
      const { outcome, failure } = runSeed(seed, lower, { gen: { size: 'small', focus: 'reentry' } });
      const why = failure ? report(failure) : outcome.detail ?? '';
      expect(outcome.kind, why).toBe('pass');
      expect(describeExecution(outcome.lowered), why).toBe(describeExecution(outcome.native));
    });
  }
});

// Issue 15: direct eval in a generator that suspends is refused with a located error (its code
// would not see the lowered bindings); in one that never yields, and indirect eval, it runs as
// native. Also `with` (a frame-held variable named inside is refused) and `delete x`. The long run is
// `npm run fuzz -- --focus eval --count 10000`.
describe('random programs with direct and indirect eval', () => {
  const kinds: string[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}`, () => {
      const { outcome, failure } = runSeed(seed, lower, { gen: { size: 'small', focus: 'eval' } });
      const why = failure ? report(failure) : outcome.detail ?? '';
      kinds.push(outcome.kind);
      if (outcome.kind === 'unsupported') {
        expect(outcome.detail).toMatch(/^program\.js:\d+:\d+: error: corosplit cannot lower (a direct eval\(\) in a generator|the generator's variable '\w+' inside `with`): /);
      } else {
        expect(outcome.kind, why).toBe('pass');
        expect(describeExecution(outcome.lowered), why).toBe(describeExecution(outcome.native));
      }
    });
  }
  it('both outcomes occurred', () => {
    expect(kinds.filter((k) => k === 'pass').length).toBeGreaterThanOrEqual(5);
    expect(kinds.filter((k) => k === 'unsupported').length).toBeGreaterThanOrEqual(5);
  });
});

// optimize: 'size' (one runtime call per yield*, the shared next, lazily created fields). The long
// run is `npm run fuzz -- --optimize size --count 10000` (and with --focus reentry).
describe("random programs lowered with optimize: 'size'", () => {
  const lowerSmall: Lower = (source) => {
    const r = transformSource(source, { fileName: 'program.js', runtime: 'inline', sourceMap: false, optimize: 'size' });
    return { code: r.code, errors: r.diagnostics.filter((d) => d.category === 'error').map((d) => d.text) };
  };
  let delegations = 0;
  const cases = [...seeds.slice(0, 150).map((seed) => ({ seed, focus: undefined })), ...Array.from({ length: 40 }, (_, i) => ({ seed: i + 1, focus: 'reentry' as const }))];
  for (const { seed, focus } of cases) {
    it(`seed ${seed}${focus ? ` (${focus})` : ''}`, () => {
      const { outcome, failure } = runSeed(seed, lowerSmall, { gen: { size: 'small', focus } });
      const why = failure ? report(failure) : outcome.detail ?? '';
      expect(outcome.kind, why).toBe('pass');
      expect(describeExecution(outcome.lowered), why).toBe(describeExecution(outcome.native));
      if (/\byield\*/.test(programText(generate(seed, { size: 'small', focus }).root))) delegations++;
    });
  }
  it('the programs exercised yield*, which this mode lowers differently', () => {
    expect(delegations).toBeGreaterThanOrEqual(20);
  });
});
