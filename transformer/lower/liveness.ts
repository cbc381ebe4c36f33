// Backward liveness over the coroutine CFG, exceptional edges included. Captured variables are
// left out: closures may read them at any time, so they live in the frame for the whole call.
// A boxed variable (captured, declared in a loop) is tracked as its box reference: a box statement
// defines it, and any read or write of the binding reads it (the value is in the box).
import { inFrame, successors, type CoroutineIR, type VarId } from './ir.js';

export interface Liveness {
  /** live on entry to each block */
  liveIn: Set<VarId>[];
  /** live on exit from each block */
  liveOut: Set<VarId>[];
}

export function computeLiveness(ir: CoroutineIR): Liveness {
  const n = ir.blocks.length;
  const tracked = (v: VarId): boolean => !inFrame(ir.vars[v]);
  const boxed = (v: VarId): boolean => !!ir.vars[v].boxed;
  // Per-block summary: gen (read before any definite def in the block) and kill (definite defs).
  const gen: Set<VarId>[] = [];
  const kill: Set<VarId>[] = [];
  for (const b of ir.blocks) {
    const g = new Set<VarId>();
    const k = new Set<VarId>();
    const read = (vs: readonly VarId[]): void => {
      for (const v of vs) if (tracked(v) && !k.has(v)) g.add(v);
    };
    for (const s of b.stmts) {
      read(s.uses);
      if (s.box) {
        for (const v of s.box.vars) if (boxed(v)) k.add(v);
        continue;
      }
      read(s.writes.filter(boxed));
      for (const v of s.defs) if (tracked(v) && !boxed(v)) k.add(v);
    }
    const t = b.term;
    if (t.kind === 'branch' || t.kind === 'yield' || t.kind === 'return' || t.kind === 'throw') read([...t.uses, ...(t.writes ?? []).filter(boxed)]);
    else if (t.kind === 'switch') read([t.on]);
    gen.push(g);
    kill.push(k);
  }
  // A suspension transfers control to its resume block through the frame: for liveness that is
  // an edge like any other.
  const succ = ir.blocks.map((b) => {
    const out = successors(ir, b);
    if (b.term.kind === 'yield') out.push({ target: ir.suspends[b.term.suspend].resume, kind: 'normal' });
    return out;
  });
  const liveIn: Set<VarId>[] = Array.from({ length: n }, () => new Set());
  const liveOut: Set<VarId>[] = Array.from({ length: n }, () => new Set());
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      const out = new Set<VarId>();
      let handlerIn: Set<VarId> | undefined;
      for (const e of succ[i]) {
        const defs = e.defs ?? [];
        for (const v of liveIn[e.target]) if (!defs.includes(v) || boxed(v)) out.add(v);
        if (e.kind === 'throw') {
          // An exception can leave the block before its definitions run, so whatever the handler
          // needs must already be live on entry.
          handlerIn = new Set([...liveIn[e.target]].filter((v) => !defs.includes(v) || boxed(v)));
        }
      }
      const inn = new Set<VarId>(gen[i]);
      for (const v of out) if (!kill[i].has(v)) inn.add(v);
      if (handlerIn) for (const v of handlerIn) inn.add(v);
      if (!sameSet(inn, liveIn[i]) || !sameSet(out, liveOut[i])) {
        liveIn[i] = inn;
        liveOut[i] = out;
        changed = true;
      }
    }
  }
  return { liveIn, liveOut };
}

function sameSet<T>(a: Set<T>, b: Set<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
