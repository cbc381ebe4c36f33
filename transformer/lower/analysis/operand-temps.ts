// Which suspensions yield a temporary that exists only to carry the operand past statements that
// must run between the operand and the suspension.
//
// Counter updates moved before the suspension (build/hoist-updates.ts) leave
// `$t = f(x); x++; yield $t` when the operand reads the counter. Lowered for size, a suspension
// is one runtime call, `return leaveGenerator($f, operand, next, …after)`, whose arguments run
// in order before the resume pointer moves: the operand, then the statements after it. The
// temporary then has nothing left to do, and its store and declaration go.
//
// A temporary qualifies when the IR says it is this suspension's alone: a local (not a frame
// field, nothing captures or boxes it), written by exactly one statement, `$t = …`, in the
// suspending block, read by nothing but the suspension, and followed in the block only by
// expression statements that do not touch it.
import type * as TS from 'typescript';
import type { BlockId, CoroutineIR, VarId } from '../ir.js';
import { simpleAssignment } from '../syntax.js';

/** suspending block → the temporary its yield operand is */
export type OperandTemps = ReadonlyMap<BlockId, VarId>;

export function operandTemps(ts: typeof TS, ir: CoroutineIR): OperandTemps {
  const refs = new Map<VarId, number>();
  const count = (vs: readonly VarId[] | undefined): void => {
    for (const v of new Set(vs ?? [])) refs.set(v, (refs.get(v) ?? 0) + 1);
  };
  for (const b of ir.blocks) {
    for (const s of b.stmts) count([...s.uses, ...s.writes, ...(s.box?.vars ?? []), ...(s.tdzInit !== undefined ? [s.tdzInit] : [])]);
    const t = b.term as { uses?: VarId[]; writes?: VarId[] };
    count([...(t.uses ?? []), ...(t.writes ?? [])]);
  }
  const out = new Map<BlockId, VarId>();
  ir.blocks.forEach((b, id) => {
    const t = b.term;
    if (t.kind !== 'yield' || !ts.isIdentifier(t.value) || t.uses.length !== 1 || t.writes?.length) return;
    const v = t.uses[0];
    const info = ir.vars[v];
    if (info.kind !== 'temp' || info.captured || info.boxed || refs.get(v) !== 2) return;
    const i = b.stmts.findIndex((s) => s.writes.includes(v));
    if (i < 0) return;
    const def = b.stmts[i];
    const assigns = def.defs.length === 1 && def.defs[0] === v && !def.uses.includes(v) && !def.box && def.tdzInit === undefined && !!simpleAssignment(ts, def.node);
    if (!assigns) return;
    if (!b.stmts.slice(i + 1).every((s) => ts.isExpressionStatement(s.node) && !s.box && s.tdzInit === undefined)) return;
    out.set(id, v);
  });
  return out;
}
