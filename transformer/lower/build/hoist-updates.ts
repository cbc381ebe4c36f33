// Which counter updates that follow a suspension can run before it instead, so that the
// resume point lands on the loop's head.
//
// `for (let x = 0; x < n; x++) yield f(x);` resumes at `x++`, and the initial resume function
// reaches the loop at its test, past the update: two ways into the loop, so either two copies of
// it or a second entry into one. Moving `x++` before the suspension (after the operand is
// evaluated) makes the resume point the test itself, the block the initial segment reaches: the
// tail-entry analysis then shares one function, with no copy and no entry mode.
//
// The move is invisible when nothing can see the variable between the suspension and the
// update, and the update itself runs no code:
// - the variable lives only in this body (a local or temporary that no closure captures), so
//   only the coroutine's own code reads it;
// - every write of it in the body stores a number literal (or `void 0`) or steps it with `++`,
//   `--`, `+=`/`-=` a number literal, so it holds a number or undefined and stepping it calls no
//   `valueOf` and cannot throw;
// - the coroutine's own code that runs when it is resumed by throw() or return() does not read it
//   (not live where those paths begin);
// - nothing but such updates and the no-op box markers of unboxed variables runs between the
//   resume and the jump to the head, in the region of the suspension itself.
// The fuzzer's loops (scripts/fuzz.mjs) and test/lower-hoist-updates.test.ts check it against
// native generators.
import type * as TS from 'typescript';
import { successors, type Block, type CoroutineIR, type IRStmt, type VarId } from '../ir.js';
import { computeLiveness } from '../liveness.js';
import { firstWorkBlock } from '../analysis/tail-entries.js';
import { isInert } from '../syntax.js';

export interface HoistTools {
  ts: typeof TS;
  refs: ReadonlyMap<TS.Node, VarId>;
  newTemp(what: string): VarId;
  /** `v = value` as an IR statement */
  assign(v: VarId, value: TS.Expression): IRStmt;
  ref(v: VarId): TS.Identifier;
}

/** Moves the updates in place (the builder still owns the blocks). */
export function hoistLoopUpdates(ir: CoroutineIR, tools: HoistTools): void {
  const { ts, refs } = tools;
  const numeric = numericForms(ts, refs);
  interface Candidate {
    from: Block;
    resume: Block;
    updates: IRStmt[];
    written: VarId[];
    head: number;
  }
  const candidates: Candidate[] = [];
  for (const s of ir.suspends) {
    if (s.kind === 'initial' || s.from < 0) continue;
    const from = ir.blocks[s.from];
    const resume = ir.blocks[s.resume];
    if (from.term.kind !== 'yield' || resume.term.kind !== 'resume') continue;
    const n = ir.blocks[firstWorkBlock(ir, resume.term.next)];
    if (n.term.kind !== 'goto' || n.region !== from.region || n.stmts.length === 0 || n === from) continue;
    const updates: IRStmt[] = [];
    const written = new Set<VarId>();
    let ok = true;
    for (const st of n.stmts) {
      if (st.box) {
        // A fresh binding instance is only storage for a boxed variable; unboxed, it emits nothing.
        if (st.box.vars.some((v) => ir.vars[v].boxed)) ok = false;
        continue;
      }
      const w = numeric.step(st);
      if (!w) {
        ok = false;
        break;
      }
      updates.push(st);
      for (const v of w) written.add(v);
    }
    if (!ok || updates.length === 0) continue;
    if ([...written].some((v) => !privateVar(ir, v))) continue;
    candidates.push({ from, resume, updates, written: [...written], head: n.term.target });
  }
  if (candidates.length === 0) return;
  const onlyNumbers = numberOnlyVars(ir, numeric);
  const live = computeLiveness(ir);
  for (const c of candidates) {
    if (!c.written.every((v) => onlyNumbers.has(v))) continue;
    const t = c.resume.term as Extract<Block['term'], { kind: 'resume' }>;
    if (c.written.some((v) => live.liveIn[t.throwTarget].has(v) || live.liveIn[t.returnTarget].has(v))) continue;
    const y = c.from.term as Extract<Block['term'], { kind: 'yield' }>;
    if (y.uses.some((v) => c.written.includes(v))) {
      // A generator's operand that is only a name would now need a temporary of its own
      // (`yield i; i++` emits `$f.i++, $f.$r = …, $f.i`; moved, `t = $f.i, $f.i++, …, t`), and
      // the second entry of analysis/tail-entries.ts already shares such a loop: measured on
      // the bench's size table, moving it made three rows 4–7 B larger. (A promise type passes
      // the operand to yieldValue, after the temporary as before it.)
      if (ir.kind === 'generator' && isInert(ts, y.value)) continue;
      // The operand reads what the update changes: it is evaluated first, into a temporary.
      const tmp = tools.newTemp('yv');
      c.from.stmts.push(tools.assign(tmp, y.value));
      c.from.term = { ...y, value: tools.ref(tmp), uses: [tmp], writes: [] };
    }
    c.from.stmts.push(...c.updates.map((st) => ({ ...st })));
    c.resume.term = { ...t, next: c.head };
  }
}

/** A variable only the coroutine's own code can read or write. */
function privateVar(ir: CoroutineIR, v: VarId): boolean {
  const x = ir.vars[v];
  return (x.kind === 'local' || x.kind === 'temp') && !x.captured && !x.boxed && !x.byValue;
}

/**
 * Variables every write of which, anywhere in the body, is one of the number forms: they hold
 * a number or undefined.
 */
function numberOnlyVars(ir: CoroutineIR, numeric: ReturnType<typeof numericForms>): Set<VarId> {
  const bad = new Set<VarId>();
  for (const b of ir.blocks) {
    for (const st of b.stmts) {
      if (st.box) continue;
      const w = numeric.step(st) ?? numeric.store(st);
      for (const v of st.writes) if (!w || !w.includes(v)) bad.add(v);
    }
    const t = b.term;
    if ((t.kind === 'branch' || t.kind === 'yield' || t.kind === 'return' || t.kind === 'throw') && t.writes) for (const v of t.writes) bad.add(v);
    for (const e of successors(ir, b)) for (const v of e.defs ?? []) bad.add(v);
  }
  const ok = new Set<VarId>();
  for (const v of ir.vars) if (!bad.has(v.id) && v.kind !== 'param') ok.add(v.id);
  return ok;
}

/** The statement forms above, by the variables they write (undefined: not that form). */
function numericForms(ts: typeof TS, refs: ReadonlyMap<TS.Node, VarId>) {
  const K = ts.SyntaxKind;
  const strip = (e: TS.Expression): TS.Expression => (ts.isParenthesizedExpression(e) ? strip(e.expression) : e);
  const isNumber = (e: TS.Expression): boolean => {
    e = strip(e);
    if (ts.isNumericLiteral(e)) return true;
    return ts.isPrefixUnaryExpression(e) && (e.operator === K.MinusToken || e.operator === K.PlusToken) && ts.isNumericLiteral(strip(e.operand));
  };
  const isUndefined = (e: TS.Expression): boolean => {
    e = strip(e);
    return ts.isVoidExpression(e) && ts.isNumericLiteral(strip(e.expression));
  };
  const target = (e: TS.Expression): VarId | undefined => {
    e = strip(e);
    return ts.isIdentifier(e) ? refs.get(e) : undefined;
  };
  const stepOf = (e: TS.Expression, into: VarId[]): boolean => {
    e = strip(e);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === K.CommaToken) return stepOf(e.left, into) && stepOf(e.right, into);
    let v: VarId | undefined;
    if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && (e.operator === K.PlusPlusToken || e.operator === K.MinusMinusToken)) v = target(e.operand);
    else if (ts.isBinaryExpression(e) && (e.operatorToken.kind === K.PlusEqualsToken || e.operatorToken.kind === K.MinusEqualsToken) && isNumber(e.right)) v = target(e.left);
    else if (ts.isBinaryExpression(e) && e.operatorToken.kind === K.EqualsToken && (isNumber(e.right) || isUndefined(e.right))) v = target(e.left);
    if (v === undefined) return false;
    into.push(v);
    return true;
  };
  const exprOf = (st: IRStmt): TS.Expression | undefined => (ts.isExpressionStatement(st.node) ? st.node.expression : undefined);
  return {
    /** an update or number store that may move: an expression statement of such steps */
    step(st: IRStmt): VarId[] | undefined {
      const e = exprOf(st);
      const into: VarId[] = [];
      return e && stepOf(e, into) && into.length === st.writes.length && st.writes.every((v) => into.includes(v)) ? into : undefined;
    },
    /** a declaration kept whole whose initialisers are number literals */
    store(st: IRStmt): VarId[] | undefined {
      if (!ts.isVariableStatement(st.node)) return undefined;
      const into: VarId[] = [];
      for (const d of st.node.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) return undefined;
        const v = refs.get(d.name);
        if (v === undefined) continue;
        if (d.initializer && !isNumber(d.initializer) && !isUndefined(d.initializer)) return undefined;
        into.push(v);
      }
      return into;
    },
  };
}
