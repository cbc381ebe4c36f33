// Which way control goes when a promise-type coroutine is destroyed at a resume point: from the
// resume block's return route through the finally blocks and iterator closes pending there.
import type * as TS from 'typescript';
import { successors, type BlockId, type CoroutineIR, type VarId } from '../ir.js';

/**
 * The control flow of a DESTROY resumption, from the resume block's return route: finally blocks
 * end in a switch on their completion code, and on this path the code is the constant the route
 * stored (unless user code in the finally jumps elsewhere). A forward analysis of the possible
 * constant values of every completion variable keeps only the switch cases that can be taken, so
 * the code after a try statement is not mistaken for part of the destroy path. Returns the
 * successors of each block reachable on it (no exception edges: during destroy an exception leaves
 * the resume function).
 */
export function destroyGraph(ts: typeof TS, ir: CoroutineIR, start: BlockId): Map<BlockId, BlockId[]> {
  const codes = new Set<VarId>();
  for (const r of ir.regions) if (r.finally) codes.add(r.finally.code);
  type State = Map<VarId, Set<number> | null>; // absent or null: unknown
  const inState = new Map<BlockId, State>();
  const edges = new Map<BlockId, BlockId[]>();
  const merge = (to: BlockId, s: State): boolean => {
    const cur = inState.get(to);
    if (!cur) {
      inState.set(to, new Map([...s].map(([k, v]) => [k, v === null ? null : new Set(v)])));
      return true;
    }
    let changed = false;
    for (const [v, vals] of cur) {
      const other = s.get(v);
      if (vals === null) continue;
      if (other === undefined || other === null) {
        cur.set(v, null);
        changed = true;
      } else for (const x of other) if (!vals.has(x)) {
        vals.add(x);
        changed = true;
      }
    }
    return changed;
  };
  /** `code = <number>`, as the builder's routes write it. */
  const constAssign = (node: TS.Statement): number | undefined => {
    if (!ts.isExpressionStatement(node) || !ts.isBinaryExpression(node.expression)) return undefined;
    const e = node.expression;
    if (e.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isNumericLiteral(e.right)) return undefined;
    return Number(e.right.text);
  };
  inState.set(start, new Map());
  const work = [start];
  while (work.length) {
    const id = work.pop()!;
    const b = ir.blocks[id];
    const s: State = new Map([...inState.get(id)!].map(([k, v]) => [k, v === null ? null : new Set(v)]));
    for (const st of b.stmts) {
      const written = st.writes.filter((w) => codes.has(w));
      if (!written.length) continue;
      const c = st.defs.length === 1 && codes.has(st.defs[0]) ? constAssign(st.node) : undefined;
      for (const w of written) s.set(w, c !== undefined && st.defs[0] === w ? new Set([c]) : null);
    }
    const t = b.term;
    const vals = t.kind === 'switch' ? s.get(t.on) : undefined;
    let out: BlockId[] = [];
    if (t.kind === 'switch' && vals) {
      for (const x of vals) {
        const hit = t.cases.find((c) => c.value === x);
        out.push(hit ? hit.target : t.default);
      }
    } else out = successors(ir, b).filter((e) => e.kind === 'normal' || e.kind === 'resume-next').map((e) => e.target);
    out = [...new Set(out)];
    edges.set(id, out);
    for (const to of out) if ((merge(to, s) || !edges.has(to)) && !work.includes(to)) work.push(to);
  }
  return edges;
}

