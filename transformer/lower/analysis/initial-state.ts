// Whether a generator's frame can start where its initial resume function would hand over, with
// the constants that function stores already in place.
//
// `for (let i = 0; i < n; i++) yield f(i);`, once its update runs before the suspension
// (build/hoist-updates.ts), has an initial resume function that only does `$f.i = 0` and calls
// the owner of the loop's head (analysis/tail-entries.ts). Both can happen when the frame is
// made: the frame starts with `i` set and its resume pointer at the owner, and the initial
// function is not emitted at all (one call less per generator, one function less per
// generator in the output).
//
// The move is invisible when:
// - the initial function runs no user code and nothing that can throw: on the way to the owner
//   it only stores literals (and marks fresh bindings of unboxed variables, which emits nothing);
// - the frame cannot tell its initial state from the owner's: the owner is a plain point, where
//   throw() and return() run nothing of the body and complete, as they do before the first
//   next(), and it is entered with mode 0, which ignores the value sent;
// - no one else reads the fields before the first next(): they are the coroutine's own;
// - no stored field is one the ramp fills, such as a parameter that a sloppy body's `arguments`
//   maps: the ramp's value, or its accessor, would win over the start value.
import type * as TS from 'typescript';
import type { BlockId, CoroutineIR, VarId } from '../ir.js';
import type { FrameLayout } from '../layout.js';
import type { Liveness } from '../liveness.js';
import type { TailEntries } from './tail-entries.js';
import { simpleAssignment } from '../syntax.js';

export interface InitialState {
  /** the segment whose resume function the frame starts at */
  readonly owner: number;
  /** the initial segment, which is not emitted */
  readonly skipped: number;
  /**
   * frame fields and the literal each starts with, without parentheses (those live where the
   * owner starts; not those that start undefined, as every field does)
   */
  readonly values: ReadonlyMap<VarId, TS.Expression>;
}

/**
 * The initial state when the initial segment is only such stores and a call of a plain owner
 * with mode 0 (`plain`: the segments whose resume points are plain); else undefined.
 */
export function foldableInitialState(ts: typeof TS, ir: CoroutineIR, live: Liveness, layout: FrameLayout, tails: TailEntries, plain: ReadonlySet<number>): InitialState | undefined {
  const seg = layout.segments.find((s) => ir.suspends[s.suspend].kind === 'initial');
  const cut = seg && tails.cuts.get(seg.index);
  if (!seg || !cut || !plain.has(seg.index)) return undefined;
  const entry = ir.blocks[seg.entry].term;
  if (entry.kind !== 'resume') return undefined;
  const values = new Map<VarId, TS.Expression>();
  const inSeg = new Set(seg.blocks);
  const seen = new Set<BlockId>();
  let b = entry.next;
  while (!cut.has(b)) {
    if (!inSeg.has(b) || seen.has(b)) return undefined;
    seen.add(b);
    const blk = ir.blocks[b];
    for (const st of blk.stmts) {
      if (st.box) {
        if (st.box.vars.some((v) => ir.vars[v].boxed)) return undefined;
        continue;
      }
      const store = literalStore(ts, st.node);
      if (!store || st.writes.length !== 1 || st.uses.length !== 0) return undefined;
      values.set(st.writes[0], store);
    }
    if (blk.term.kind !== 'goto') return undefined;
    b = blk.term.target;
  }
  const owner = tails.owner.get(b);
  if (owner === undefined || tails.second.has(b) || !plain.has(owner)) return undefined;
  if ([...values.keys()].some((v) => layout.rampFields.includes(v))) return undefined;
  // What the owner loads that the initial segment did not set comes from the ramp's fields
  // (parameters, `this`) or is undefined, as the frame starts anyway.
  // A captured variable (lowered for size, every frame field) takes no part in liveness: its
  // store is kept whatever liveness says.
  for (const [v, e] of values) if ((!live.liveIn[b].has(v) && !ir.vars[v].captured) || ts.isVoidExpression(e)) values.delete(v);
  return { owner, skipped: seg.index, values };
}

/** The literal of `x = literal;` or `let x = literal;` (one declaration), without parentheses; else undefined. */
function literalStore(ts: typeof TS, node: TS.Statement): TS.Expression | undefined {
  const decl = ts.isVariableStatement(node) && node.declarationList.declarations.length === 1 ? node.declarationList.declarations[0] : undefined;
  let value = decl && ts.isIdentifier(decl.name) ? decl.initializer : simpleAssignment(ts, node)?.value;
  while (value && ts.isParenthesizedExpression(value)) value = value.expression;
  return value && isLiteral(ts, value) ? value : undefined;
}

function isLiteral(ts: typeof TS, e: TS.Expression): boolean {
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken) return ts.isNumericLiteral(e.operand);
  if (ts.isVoidExpression(e)) return ts.isNumericLiteral(e.expression);
  return (
    ts.isNumericLiteral(e) ||
    ts.isStringLiteral(e) ||
    ts.isNoSubstitutionTemplateLiteral(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword
  );
}
