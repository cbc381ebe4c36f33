// Which let/const bindings captured by closures can be handed to those closures as values
// instead of living in the frame (or, declared in a loop, in a box per iteration)?
//
// A closure that reads a binding whose value can no longer change once the closure exists sees
// the same thing whether it holds the binding or a copy of its value. Such a binding is an
// ordinary variable of the coroutine (liveness decides where it is stored), and each closure gets
// its value when it is made. In a loop this removes the per-iteration box and the `.v` of every
// access; outside one it removes the frame field the binding kept for the whole call.
//
// The value cannot change after a closure is made when:
// - every write of the binding is its declaration's own initialisation (for a `for (let …;;
//   update)` head also the update, which writes the next iteration's copy, never the one a body's
//   closure holds), and no write is inside a closure;
// - every closure is made after that initialisation: analysis/tdz.ts found no reference that may
//   come first, and for a loop head's binding every closure is in the loop's body;
// - the closure is an arrow function or function expression, not a generator or async function
//   (a nested coroutine is lowered with its own frame, which would have to hold the value) and not
//   inside a class or a function declaration (made when its block is entered);
// - nothing can write it by name at run time: no `with` and no direct `eval` in the coroutine.
import type * as TS from 'typescript';
import type { Block, IRStmt, IRVar, VarId } from '../ir.js';
import { findDirectEval } from '../function-facts.js';

export interface ValueCaptureInput {
  /** the coroutine's function */
  fn: TS.Node;
  /** a `with` or a direct eval in the coroutine can write bindings by name (writableByName) */
  namesWritable: boolean;
  vars: readonly IRVar[];
  blocks: readonly Block[];
  /** identifier → the variable it refers to */
  refs: ReadonlyMap<TS.Node, VarId>;
  /**
   * let/const bindings declared by a declaration the builder recorded, each with the statement its
   * closures must be inside (a loop head's binding: the loop body), or undefined (anywhere after
   * the declaration)
   */
  candidates: ReadonlyMap<VarId, TS.Node | undefined>;
  /** IR statements that initialise bindings at their declaration, with the bindings they initialise */
  initWrites: ReadonlyMap<IRStmt, ReadonlySet<VarId>>;
  /** bindings with a reference that may run in their temporal dead zone (analysis/tdz.ts) */
  tdzVars: ReadonlySet<VarId>;
}

export function findValueCaptures(ts: typeof TS, input: ValueCaptureInput): ReadonlySet<VarId> {
  const { fn, namesWritable, vars, blocks, refs, candidates, initWrites, tdzVars } = input;
  const ok = new Set<VarId>();
  for (const v of candidates.keys()) if (vars[v].captured && !vars[v].boxed && !tdzVars.has(v)) ok.add(v);
  if (ok.size === 0 || namesWritable) return new Set();
  for (const b of blocks) {
    for (const s of b.stmts) {
      if (s.box) continue;
      for (const v of s.writes) if (!initWrites.get(s)?.has(v)) ok.delete(v);
    }
    const writes = (b.term as { writes?: readonly VarId[] }).writes;
    if (writes) for (const v of writes) ok.delete(v);
  }
  for (const [node, v] of refs) {
    if (!ok.has(v)) continue;
    const closure = closureAround(ts, fn, node);
    if (closure === undefined) continue;
    const within = candidates.get(v);
    if (closure === null || (within && !contains(within, node))) ok.delete(v);
  }
  return ok;
}

/**
 * The outermost function between `node` and the coroutine: undefined when there is none, null
 * when a value could not be handed to it (see the header).
 */
function closureAround(ts: typeof TS, fn: TS.Node, node: TS.Node): TS.Node | null | undefined {
  let outer: TS.Node | undefined;
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (ts.isClassLike(p)) return null;
    if (!ts.isFunctionLike(p)) continue;
    if (!ts.isArrowFunction(p) && !ts.isFunctionExpression(p)) return null;
    if ((ts.isFunctionExpression(p) && p.asteriskToken) || p.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return null;
    outer = p;
  }
  return outer;
}

function contains(outer: TS.Node, node: TS.Node): boolean {
  for (let p: TS.Node | undefined = node; p; p = p.parent) if (p === outer) return true;
  return false;
}

/** A `with` statement or a direct eval anywhere in the function, nested functions included. */
export function writableByName(ts: typeof TS, fn: TS.Node): boolean {
  const hasWith = (n: TS.Node): boolean => ts.isWithStatement(n) || !!ts.forEachChild(n, hasWith);
  return findDirectEval(ts, fn) !== undefined || hasWith(fn);
}
