// Differential fuzzing of speculative task elision (lowering.md, "Speculative task elision"):
// seeded random Task programs whose children await ready values, parked awaiters resumed later
// by the driver, awaiters whose awaitSuspend throws, senders and each other, inside loops, ifs and
// try/catch/finally, with throws, early returns and closures (capturing nothing, or a binding).
// Each program runs twice in one process, with elision (children run as `child$fast` until they
// suspend) and without (every start and every resumption inside a scoped heap allocator, which
// turns elision off), and the traces and outcomes must be equal. `COROSPLIT_ELISION_FUZZ=N` runs
// N programs instead of the default, from seed `COROSPLIT_ELISION_FUZZ_SEED` (1000). A second set
// splits every program across two modules: its last two children (and the helpers) in one, which
// exports them, and the first two and the top task in the other, which imports them, so that
// awaits across modules run the body functions the exports carry (coExportFast / coFastOf).
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled } from './helpers/program.js';
import { prng } from './differential/generate.js';

const PROGRAMS = Number(process.env.COROSPLIT_ELISION_FUZZ ?? 120);
const FIRST_SEED = Number(process.env.COROSPLIT_ELISION_FUZZ_SEED ?? 1000);
const SPLIT_PROGRAMS = Math.ceil((PROGRAMS * 2) / 3);
const PER_FILE = 40;
const CHILDREN = 4;

const PRELUDE = `
import { type Task, type Awaiter, type CoroutineHandle, heapAllocator, just, ready, startTask, inlineScheduler, withFrameAllocator } from 'corosplit/runtime';
const T: string[] = [];
function log(...xs: unknown[]): void { T.push(xs.map(String).join(' ')); }
const parked: Gate[] = [];
class Gate implements Awaiter<number> {
  h: CoroutineHandle<any> | null = null;
  constructor(readonly v: number) {}
  awaitReady(): boolean { return false; }
  awaitSuspend(h: CoroutineHandle<any>): void { this.h = h; parked.push(this); }
  awaitResume(): number { log('gate', this.v); return this.v; }
}
class Fail implements Awaiter<number> {
  constructor(readonly v: number) {}
  awaitReady(): boolean { return false; }
  awaitSuspend(): void { throw new Error('suspend-fail ' + this.v); }
  awaitResume(): number { return 0; }
}
function gate(v: number): Task<number> { return new Gate(v) as any; }
function fail(v: number): Task<number> { return new Fail(v) as any; }
function sender(v: number): Task<number> { return just(v) as any; }
function run(top: () => Task<number>, off: boolean): string {
  T.length = 0;
  parked.length = 0;
  const wrap = <R>(fn: () => R): R => (off ? withFrameAllocator(heapAllocator, fn) : fn());
  let outcome = 'pending';
  wrap(() =>
    startTask(top(), { taskDone(t: any) { outcome = t.outcome.status === 'value' ? 'value ' + t.outcome.value : t.outcome.status === 'error' ? 'error ' + t.outcome.error.message : 'stopped'; } }, inlineScheduler),
  );
  for (let steps = 0; outcome === 'pending' && parked.length && steps < 10000; steps++) {
    const g = parked.shift()!;
    wrap(() => g.h!.resume());
  }
  return JSON.stringify({ outcome, T });
}
`;

/** One program: children c0..c3 (each awaits only higher-numbered ones) and a top task awaiting them. */
function program(seed: number, p: string): string {
  const { children, top } = programParts(seed, p);
  return [...children, top].join('\n');
}

function programParts(seed: number, p: string): { children: string[]; top: string } {
  const r = prng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  let labels = 0;
  const L = (): string => `'${p}L${labels++}'`;
  const child = (k: number): string => {
    const vars = ['a', 'b', 'x', 'y'];
    const expr = (extra: string[], d = 0): string => {
      const leaf = (): string => (r() < 0.6 ? pick([...vars, ...extra]) : String(int(9)));
      if (d >= 2 || r() < 0.4) return leaf();
      return `(${expr(extra, d + 1)} ${pick(['+', '-', '^', '*'])} ${expr(extra, d + 1)})`;
    };
    const awaitable = (extra: string[]): string => {
      const e = expr(extra);
      const kinds = ['ready', 'ready', 'gate', 'fail', 'sender', ...(k + 1 < CHILDREN ? ['child', 'child', 'child'] : [])];
      switch (pick(kinds)) {
        case 'ready': return `ready(${e})`;
        case 'gate': return `gate(${e})`;
        case 'fail': return `fail(${e})`;
        case 'sender': return `sender(${e})`;
        default: return `${p}c${k + 1 + int(CHILDREN - k - 1)}(${e}, ${expr(extra)})`;
      }
    };
    const block = (depth: number, extra: string[], n = 1 + int(3)): string => {
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(stmt(depth, extra));
      return out.join('\n');
    };
    const stmt = (depth: number, extra: string[]): string => {
      const deep = depth >= 3;
      switch (int(deep ? 5 : 10)) {
        case 0: case 1: return `x = (x + (yield* ${awaitable(extra)})) % 1000;`;
        case 2: return `log(${L()}, x, y${extra.map((v) => ', ' + v).join('')});`;
        case 3: return `y = ${expr(extra)} % 1000;`;
        case 4: return pick([
          `if (${expr(extra)} % 5 === 0) throw new Error(${L()});`,
          `if (${expr(extra)} % 7 === 0) return ${expr(extra)};`,
          `log(${L()}, yield* ${awaitable(extra)});`,
          // a closure that captures nothing (the child keeps its speculative body) …
          `x = ([${expr(extra)}, 1].map((v) => v * 3)[0] + x) % 1000;`,
          // … and, rarely, one that does (it has none)
          ...(r() < 0.15 ? [`y = [1].map((v) => v + x)[0] % 1000;`] : []),
        ]);
        case 5: return `if (${expr(extra)} % 2 === 0) {\n${block(depth + 1, extra)}\n} else {\n${block(depth + 1, extra)}\n}`;
        case 6: {
          const i = `i${depth}`;
          return `for (let ${i} = 0; ${i} < ${1 + int(3)}; ${i}++) {\n${block(depth + 1, [...extra, i])}\n}`;
        }
        case 7: case 8: return `try {\n${block(depth + 1, extra)}\n} catch (e) {\nlog(${L()}, (e as Error).message);\n${r() < 0.3 ? block(depth + 1, extra, 1) : ''}\n} finally {\nlog(${L()}, x);\n}`;
        default: return `try {\n${block(depth + 1, extra)}\n} finally {\nlog(${L()}, y);\n}`;
      }
    };
    return `function* ${p}c${k}(a: number, b: number): Task<number> {\nlet x = a, y = b;\n${block(0, [], 2 + int(4))}\nreturn x * 31 + y;\n}`;
  };
  const children = Array.from({ length: CHILDREN }, (_, k) => child(k));
  const calls = Array.from({ length: 2 + int(3) }, () => `s = (s * 7 + (yield* ${p}c${int(CHILDREN)}(${int(9)}, ${int(9)}))) % 100000;`);
  // Half the tops catch, so both outcomes of a failing child are seen.
  const body = r() < 0.5 ? calls.join('\n') : `try {\n${calls.join('\n')}\n} catch (e) {\nlog('top caught', (e as Error).message);\n}`;
  const top = `function* ${p}top(): Task<number> {\nlet s = 0;\n${body}\nreturn s;\n}`;
  return { children, top };
}

/** Program texts by file name, in one module or split across two (see the header). */
function files(first: number, count: number, split: boolean): Record<string, string> {
  const seeds = Array.from({ length: count }, (_, i) => FIRST_SEED + first + i);
  const prefix = (i: number): string => `p${first + i}_`;
  const table = seeds.map((_, i) => `${prefix(i)}top`).join(', ');
  const entry = `\nconst tops = [${table}];\nexport function runAt(i: number, off: boolean): string { return run(tops[i], off); }\n`;
  if (!split) return { 'main.ts': `${PRELUDE}\n${seeds.map((seed, i) => program(seed, prefix(i))).join('\n\n')}${entry}` };
  const parts = seeds.map((seed, i) => programParts(seed, prefix(i)));
  const moved = parts.flatMap((x) => x.children.slice(2).map((c) => 'export ' + c));
  const names = seeds.flatMap((_, i) => [2, 3].map((k) => `${prefix(i)}c${k}`));
  return {
    'helpers.ts': `${PRELUDE}\nexport { log, gate, fail, sender, run };\n${moved.join('\n\n')}\n`,
    'main.ts': `import { type Task, ready } from 'corosplit/runtime';\nimport { log, gate, fail, sender, run, ${names.join(', ')} } from './helpers.js';\n${parts.map((x) => [...x.children.slice(0, 2), x.top].join('\n')).join('\n\n')}${entry}`,
  };
}

for (const split of [false, true]) {
  const programs = split ? SPLIT_PROGRAMS : PROGRAMS;
  const what = split ? 'split across two modules' : 'in one module';
  describe(`speculative task elision agrees with elision off on random Task programs (${what})`, () => {
    const sets: { first: number; count: number; sources: Record<string, string> }[] = [];
    for (let first = 0; first < programs; first += PER_FILE) {
      const count = Math.min(PER_FILE, programs - first);
      sets.push({ first, count, sources: files(first, count, split) });
    }
    const results: { seed: number; elided: string; off: string }[] = [];
    let fastBodies = 0;
    let exported = 0;
    beforeAll(async () => {
      for (const set of sets) {
        const c = compile(set.sources);
        expect(c.diagnostics).toEqual([]);
        expect(c.typeErrors).toEqual([]);
        for (const js of c.js.values()) {
          fastBodies += (js.match(/function p\d+_c\d\$fast\(/g) ?? []).length;
          exported += (js.match(/coExportFast\(p\d+_c\d, /g) ?? []).length;
        }
        const mod = await runCompiled(c);
        for (let i = 0; i < set.count; i++) results.push({ seed: FIRST_SEED + set.first + i, elided: mod.runAt(i, false), off: mod.runAt(i, true) });
      }
    }, Math.max(120_000, programs * 1_500));

    it(`${programs} programs give equal traces and outcomes elided and not`, () => {
      const differ = results.filter((x) => x.elided !== x.off);
      if (differ.length) {
        const d = differ[0]!;
        const src = Object.entries(files(d.seed - FIRST_SEED, 1, split)).map(([n, t]) => `// ${n}\n${t}`).join('\n');
        throw new Error(`${differ.length} of ${results.length} programs differ; first, seed ${d.seed}:\n${src}\nelided: ${d.elided}\noff:    ${d.off}`);
      }
      // The programs exercise what they should: suspensions, caught failures and each outcome.
      const all = results.map((x) => x.elided).join('\n');
      for (const seen of ['gate', 'suspend-fail', 'value ', 'error ']) expect(all).toContain(seen);
      // Most children get a speculative body (not one that is never awaited, nor one that cannot
      // suspend at all, which is elided outright); split, the exported ones carry it along.
      expect(fastBodies).toBeGreaterThan(programs * 2);
      if (split) expect(exported).toBeGreaterThan(programs);
      else expect(exported).toBe(0);
    });
  });
}
