// Runs a generated program natively and lowered, each in a fresh vm context, compares the traces,
// and shrinks failing programs. The lowering is passed in rather than imported so the same code
// serves vitest (built transformer from dist/) and the long-mode script (plain node).
import vm from 'node:vm';
import { generate, programText, scriptOf, type GenOptions, type Node } from './generate.js';

export interface Lowered {
  code: string;
  /** error diagnostics; non-empty means the lowering refused the program */
  errors: string[];
  /** set by test doubles that return the program (nearly) unchanged, generators and all */
  keepsGenerators?: boolean;
}
export type Lower = (source: string) => Lowered;

export interface Execution {
  trace: string[];
  /** an exception that escaped the script, or the timeout */
  uncaught?: string;
  timedOut?: boolean;
  syntaxError?: string;
}

/**
 * - `pass`: same trace.
 * - `mismatch`: both ran, traces differ (includes the lowered code throwing where native did not).
 * - `transform-crash`: transformSource threw instead of lowering or reporting a diagnostic.
 * - `lowered-invalid`: the lowered code does not parse, or still contains a generator.
 * - `lowered-timeout`: native finished, lowered did not.
 * - `unsupported`: the lowering reported a diagnostic ("cannot lower X yet"); not a wrong-code bug.
 * - `invalid`: the program itself is unusable (native syntax error or timeout): a generator bug.
 */
export type Kind = 'pass' | 'mismatch' | 'transform-crash' | 'lowered-invalid' | 'lowered-timeout' | 'unsupported' | 'invalid';

export interface Outcome {
  kind: Kind;
  native?: Execution;
  lowered?: Execution;
  code?: string;
  detail?: string;
}

export function execute(script: string, timeout = 2000): Execution {
  const ctx = vm.createContext({});
  let compiled: vm.Script;
  try {
    compiled = new vm.Script(script, { filename: 'program.js' });
  } catch (e) {
    return { trace: [], syntaxError: String(e) };
  }
  try {
    compiled.runInContext(ctx, { timeout });
  } catch (e: any) {
    const trace = Array.from((ctx as any).T ?? [], String);
    if (e?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return { trace, timedOut: true, uncaught: 'timeout' };
    // Only the name for engine errors: the lowered runtime may word its TypeErrors differently.
    const name = e && typeof e === 'object' ? String(e.name) : 'thrown';
    return { trace, uncaught: name === 'Error' ? `Error:${e.message}` : name };
  }
  return { trace: Array.from((ctx as any).T ?? [], String) };
}

const same = (a: Execution, b: Execution): boolean =>
  a.uncaught === b.uncaught && a.trace.length === b.trace.length && a.trace.every((x, i) => x === b.trace[i]);

// The inline runtime builds the host GeneratorFunction from a string, and the prelude's comments
// mention yield*: look only outside string literals and line comments.
function leftoverGenerator(code: string): boolean {
  const bare = code.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''").replace(/\/\/.*$/gm, '');
  return /function\s*\*|\byield\b/.test(bare);
}

export function checkSource(source: string, lower: Lower, timeout = 2000): Outcome {
  const script = scriptOf(source);
  const native = execute(script, timeout);
  if (native.syntaxError || native.timedOut) return { kind: 'invalid', native, detail: native.syntaxError ?? 'native timeout' };
  let lowered: Lowered;
  try {
    lowered = lower(script);
  } catch (e: any) {
    return { kind: 'transform-crash', native, detail: String(e?.stack ?? e) };
  }
  // transformSource turns its own exceptions into an "internal error" diagnostic: that is a crash.
  if (lowered.errors.some((e) => e.includes('internal error'))) return { kind: 'transform-crash', native, detail: lowered.errors.join('\n') };
  if (lowered.errors.length) return { kind: 'unsupported', native, detail: lowered.errors.join('\n') };
  if (!lowered.keepsGenerators && leftoverGenerator(lowered.code)) return { kind: 'lowered-invalid', native, code: lowered.code, detail: 'generator left in output' };
  const low = execute(lowered.code, timeout);
  if (low.syntaxError) return { kind: 'lowered-invalid', native, lowered: low, code: lowered.code, detail: low.syntaxError };
  if (low.timedOut) return { kind: 'lowered-timeout', native, lowered: low, code: lowered.code };
  return { kind: same(native, low) ? 'pass' : 'mismatch', native, lowered: low, code: lowered.code };
}

export function check(root: Node, lower: Lower, timeout = 2000): Outcome {
  return checkSource(programText(root), lower, timeout);
}

const isBug = (k: Kind): boolean => k === 'mismatch' || k === 'transform-crash' || k === 'lowered-invalid' || k === 'lowered-timeout';
export { isBug };

function clone(n: Node): Node {
  return { kind: n.kind, parts: n.parts.map((p) => (typeof p === 'string' ? p : clone(p))) };
}

// Small constants the shrinker tries in place of an expression before its subexpressions.
const SIMPLE = ['0', 'undefined'];

/**
 * Greedy tree delta debugging: delete runs of statements (halves down to singles), unwrap a
 * compound statement into one of its bodies, replace an expression by a subexpression or a
 * constant; repeat until nothing applies. Edits are done in place and undone when the failure
 * kind is lost. `budget` caps the number of program runs.
 */
export function shrink(root: Node, lower: Lower, kind: Kind, budget = 3000, timeout = 1000): { root: Node; runs: number } {
  root = clone(root);
  let runs = 0;
  const fails = (): boolean => {
    runs++;
    return check(root, lower, timeout).kind === kind;
  };
  let progress = true;
  while (progress && runs < budget) {
    progress = false;
    // Collected afresh each round because edits reshape the tree.
    const lists: Node[] = [];
    const walk = (n: Node): void => {
      if (n.kind === 'list') lists.push(n);
      for (const p of n.parts) if (typeof p !== 'string') walk(p);
    };
    walk(root);
    for (const L of lists) {
      for (let size = Math.max(1, L.parts.length >> 1); size >= 1 && runs < budget; size >>= 1) {
        for (let i = 0; i + size <= L.parts.length && runs < budget; ) {
          const removed = L.parts.splice(i, size);
          if (fails()) progress = true;
          else {
            L.parts.splice(i, 0, ...removed);
            i++;
          }
        }
      }
      // Unwrap: replace a statement by the statements of one of its bodies.
      for (let i = 0; i < L.parts.length && runs < budget; i++) {
        const s = L.parts[i] as Node;
        if (typeof s === 'string' || s.kind !== 'stmt') continue;
        const bodies: Node[] = [];
        // Any nested body, not just direct ones: a switch's case list is not itself a statement list.
        const findLists = (n: Node): void => {
          for (const p of n.parts) {
            if (typeof p === 'string' || p.kind === 'expr') continue;
            if (p.kind === 'list') bodies.push(p);
            findLists(p);
          }
        };
        findLists(s);
        for (const b of bodies) {
          L.parts.splice(i, 1, ...b.parts);
          if (fails()) {
            progress = true;
            break;
          }
          L.parts.splice(i, b.parts.length, s);
        }
      }
    }
    // Expressions: try constants, then each direct subexpression.
    const slots: { parent: Node; index: number }[] = [];
    const walkE = (n: Node): void => {
      n.parts.forEach((p, index) => {
        if (typeof p === 'string') return;
        if (p.kind === 'expr') slots.push({ parent: n, index });
        walkE(p);
      });
    };
    walkE(root);
    for (const { parent, index } of slots) {
      if (runs >= budget) break;
      const e = parent.parts[index] as Node;
      if (typeof e === 'string' || e.kind !== 'expr') continue;
      if (e.parts.length === 1 && typeof e.parts[0] === 'string' && SIMPLE.includes(e.parts[0])) continue;
      const subs: (string | Node)[] = [...SIMPLE.map((s) => ({ kind: 'expr', parts: [s] }) as Node), ...e.parts.filter((p): p is Node => typeof p !== 'string' && p.kind === 'expr')];
      for (const s of subs) {
        parent.parts[index] = s;
        if (fails()) {
          progress = true;
          break;
        }
        parent.parts[index] = e;
      }
    }
  }
  return { root, runs };
}

export interface Failure {
  seed: number;
  kind: Kind;
  source: string;
  minimal?: string;
  outcome: Outcome;
  minimalOutcome?: Outcome;
}

/** Runs one seed; on a bug, optionally shrinks it. */
export function runSeed(seed: number, lower: Lower, opts: { shrink?: boolean; timeout?: number; budget?: number; gen?: GenOptions } = {}): { outcome: Outcome; failure?: Failure } {
  const p = generate(seed, opts.gen);
  const outcome = check(p.root, lower, opts.timeout ?? 2000);
  if (!isBug(outcome.kind)) return { outcome };
  const failure: Failure = { seed, kind: outcome.kind, source: programText(p.root), outcome };
  if (opts.shrink) {
    const { root } = shrink(p.root, lower, outcome.kind, opts.budget ?? 3000);
    failure.minimal = programText(root);
    failure.minimalOutcome = check(root, lower, opts.timeout ?? 2000);
  }
  return { outcome, failure };
}

export function describeExecution(e: Execution | undefined): string {
  if (!e) return '(not run)';
  return [...e.trace, ...(e.uncaught ? [`<uncaught ${e.uncaught}>`] : [])].map((l, i) => `  ${String(i).padStart(3)} ${l}`).join('\n');
}

export function report(f: Failure): string {
  const o = f.minimalOutcome ?? f.outcome;
  const lines = [`seed ${f.seed}: ${f.kind}${f.minimal ? ' — likely ' + classify(f.minimal) : ''}`, '--- program (with the differential prelude) ---', f.minimal ?? f.source];
  if (o.detail) lines.push('--- detail ---', o.detail.split('\n').slice(0, 12).join('\n'));
  lines.push('--- native trace ---', describeExecution(o.native), '--- lowered trace ---', describeExecution(o.lowered));
  return lines.join('\n');
}

/**
 * Which open finding (FINDINGS.md) a shrunk repro most likely shows, from the constructs left in
 * it. A heuristic for triage only: a repro that matches nothing, or several, needs a human look.
 */
export const SIGNATURES: { finding: string; what: string; test: (program: string) => boolean }[] = [
  { finding: 'F1', what: 'closure captures a per-iteration binding of a loop that yields', test: (p) => /fs\.push\(/.test(p) },
  { finding: 'F2', what: 'member assignment target evaluated after a yielding right-hand side', test: (p) => /(\.\w+|\])\s*=\s*\(yield/.test(p) },
  { finding: 'F5', what: 'member tag of a tagged template with a yield loses its this', test: (p) => /tg(\.t|\['t'\])`[^`]*yield/.test(p) },
  { finding: 'F6', what: 're-entry from a finally run by a return statement', test: (p) => /it\.(next|return|throw)\(/.test(p) && /finally/.test(p) && /\breturn\b/.test(p) },
  { finding: 'F3', what: 'sloppy arguments not mapped to parameters', test: (p) => /\barguments\b/.test(p) && /\bp0\s*(=|\+=|-=|\|\|=|\?\?=)[^=]/.test(p) },
];

export function classify(program: string): string {
  const hits = SIGNATURES.filter((s) => s.test(program));
  return hits.length ? hits.map((h) => `${h.finding} (${h.what})`).join(' or ') : 'unclassified: new bug?';
}

