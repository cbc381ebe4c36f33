// Turns the part of the CFG one resume function covers back into structured JavaScript: loops,
// labeled blocks, if/else and switch, with no dispatcher loop. The method is the dominator-tree
// translation of Ramsey's "Beyond Relooper" (ICFP 2022): a block's code is emitted inside the
// code of its immediate dominator; blocks entered from several places ("merge nodes") are placed
// after a labeled block that forward jumps break out of; loop headers become `for (;;)` that back
// edges continue. The CFG of structured source is reducible, which is all the method needs.
import type * as TS from 'typescript';
import { analyse } from './reducible.js';

/** Structured statements, before they become TS nodes. */
export type SNode =
  | { k: 'code'; stmts: TS.Statement[] }
  | { k: 'block'; label: string; body: SNode[] }
  | { k: 'loop'; label: string; body: SNode[] }
  | { k: 'if'; cond: TS.Expression; then: SNode[]; else: SNode[] }
  | { k: 'break'; label: string }
  | { k: 'continue'; label: string }
  /** `key`: try nodes with the same key and the same jump out of their handler may be merged */
  | { k: 'try'; body: SNode[]; catchName: string; handler: SNode[]; key?: string }
  | { k: 'switch'; on: TS.Expression; cases: { value: number; body: SNode[] }[]; default: SNode[] };

export interface Graph {
  entry: number;
  successors(n: number): number[];
  /** nodes placed as merge nodes even when one node branches to them (a guard, which it may do twice) */
  merge?(n: number): boolean;
}

export interface StructureCallbacks {
  /** The code of block `n`; it calls `branch(to)` for each of its outgoing edges. */
  block(n: number, branch: (to: number) => SNode[]): SNode[];
  labelFor(n: number, kind: 'loop' | 'block'): string;
}


export function structure(g: Graph, cb: StructureCallbacks): SNode[] {
  const { order, rpo, idom, succ } = analyse(g.entry, (n) => g.successors(n));
  const isBackEdge = (from: number, to: number): boolean => rpo.get(to)! <= rpo.get(from)!;
  const loopHeaders = new Set<number>();
  const forwardIn = new Map<number, number>();
  for (const n of order)
    for (const s of succ.get(n)!) {
      if (isBackEdge(n, s)) loopHeaders.add(s);
      else forwardIn.set(s, (forwardIn.get(s) ?? 0) + 1);
    }
  const isMerge = (n: number): boolean => (forwardIn.get(n) ?? 0) >= 2 || (g.merge?.(n) ?? false);
  if (process.env.COROSPLIT_DEBUG_STRUCTURE) {
    console.error('entry', g.entry, 'order', order.map((n) => `${n}(idom ${idom.get(n)}${loopHeaders.has(n) ? ' loop' : ''}${isMerge(n) ? ' merge' : ''}) -> ${succ.get(n)!.join(',')}`).join('\n  '));
  }
  const children = new Map<number, number[]>();
  for (const n of order) {
    if (n === g.entry) continue;
    const d = idom.get(n)!;
    if (!children.has(d)) children.set(d, []);
    children.get(d)!.push(n);
  }

  const doTree = (x: number): SNode[] => {
    const merges = (children.get(x) ?? []).filter(isMerge).sort((a, b) => rpo.get(b)! - rpo.get(a)!);
    const code = nodeWithin(x, merges);
    if (loopHeaders.has(x)) return [{ k: 'loop', label: cb.labelFor(x, 'loop'), body: code }];
    return code;
  };
  const nodeWithin = (x: number, ys: number[]): SNode[] => {
    if (ys.length === 0) return cb.block(x, (to) => doBranch(x, to));
    const [y, ...rest] = ys;
    return [{ k: 'block', label: cb.labelFor(y, 'block'), body: nodeWithin(x, rest) }, ...doTree(y)];
  };
  const doBranch = (from: number, to: number): SNode[] => {
    if (isBackEdge(from, to)) return [{ k: 'continue', label: cb.labelFor(to, 'loop') }];
    if (isMerge(to)) return [{ k: 'break', label: cb.labelFor(to, 'block') }];
    return doTree(to);
  };
  // A case's code here always ends in a jump, a return or a throw: none falls into the next.
  return tidy(doTree(g.entry), () => false);
}

/**
 * Removes jumps to where control goes anyway, then labels nobody jumps to. `mayFallThrough` says
 * whether a switch case's code can run on into the next case (the dispatch shape lays cases out
 * so that they do): a case that only jumps is dropped only when nothing falls into it.
 */
export function tidy(nodes: SNode[], mayFallThrough: (body: SNode[]) => boolean): SNode[] {
  const used = new Set<string>();
  // A jump to where the end of `body` goes anyway, at the end of the body or at the end of a
  // branch, try block, catch or block the body ends with; a trailing switch, below.
  const dropTail = (body: readonly SNode[], label: string, kind: 'break' | 'continue'): SNode[] => {
    const last = body[body.length - 1];
    if (!last) return [];
    const init = body.slice(0, -1);
    if (last.k === kind && last.label === label) return init;
    if (last.k === 'if' || last.k === 'try' || last.k === 'block') return [...init, mapChildren(last, (l) => dropTail(l, label, kind))];
    if (last.k === 'switch' && isJump(last.default, label, kind)) {
      // The default leaves the switch, and so does every case that only makes the same jump.
      const cases = last.cases.filter((c, i) => !isJump(c.body, label, kind) || (i > 0 && mayFallThrough(last.cases[i - 1].body)));
      return [...init, { ...last, cases, default: [] }];
    }
    return [...body];
  };
  const isJump = (body: readonly SNode[], label: string, kind: 'break' | 'continue'): boolean => {
    const work = body.filter((n) => n.k !== 'code' || n.stmts.length > 0);
    return work.length === 1 && work[0].k === kind && work[0].label === label;
  };
  const walk = (list: SNode[]): SNode[] => {
    const out: SNode[] = [];
    for (const n of list) {
      switch (n.k) {
        case 'block': {
          const body = walk(dropTail(n.body, n.label, 'break'));
          out.push({ ...n, body });
          break;
        }
        case 'loop': {
          const body = walk(dropTail(n.body, n.label, 'continue'));
          out.push({ ...n, body });
          break;
        }
        case 'if':
          out.push({ ...n, then: walk(n.then), else: walk(n.else) });
          break;
        case 'try':
          out.push({ ...n, body: walk(n.body), handler: walk(n.handler) });
          break;
        case 'switch':
          out.push({ ...n, cases: n.cases.map((c) => ({ ...c, body: walk(c.body) })), default: walk(n.default) });
          break;
        default:
          out.push(n);
      }
      // Nothing after an unconditional jump is reachable.
      if (n.k === 'break' || n.k === 'continue') break;
    }
    return out;
  };
  const collect = (list: SNode[]): void => {
    for (const n of list) {
      if (n.k === 'break' || n.k === 'continue') used.add(n.label);
      else if (n.k === 'block' || n.k === 'loop') collect(n.body);
      else if (n.k === 'if') {
        collect(n.then);
        collect(n.else);
      } else if (n.k === 'try') {
        collect(n.body);
        collect(n.handler);
      } else if (n.k === 'switch') {
        n.cases.forEach((c) => collect(c.body));
        collect(n.default);
      }
    }
  };
  // A break at the end of a block nested at the tail of the labeled block is also redundant; one
  // pass of dropTail per level handles the common shapes.
  const result = walk(nodes);
  collect(result);
  const unwrap = (list: SNode[]): SNode[] =>
    list.flatMap((n): SNode[] => {
      if (n.k === 'block') {
        const body = unwrap(n.body);
        return used.has(n.label) ? [{ ...n, body }] : body;
      }
      if (n.k === 'loop') return [{ ...n, body: unwrap(n.body) }];
      if (n.k === 'if') return [{ ...n, then: unwrap(n.then), else: unwrap(n.else) }];
      if (n.k === 'try') return [{ ...n, body: unwrap(n.body), handler: unwrap(n.handler) }];
      if (n.k === 'switch') return [{ ...n, cases: n.cases.map((c) => ({ ...c, body: unwrap(c.body) })), default: unwrap(n.default) }];
      return [n];
    });
  return unwrap(result);
}

/** What cannot throw, for widenTries: statements, and the conditions of ifs and switches. */
export interface QuietCode {
  stmt(s: TS.Statement): boolean;
  expr(e: TS.Expression): boolean;
  /** the local a condition is computed into inside a try, to be tested after it */
  cond: string;
}

/**
 * Widens each `try` the emitter made over the nodes beside it that cannot throw, or that are
 * tries with the same handler: one `try` then covers a region's run of code, its branches and
 * jumps included, where the emitter protects each statement that can throw on its own and keeps
 * every branch condition in a temporary. What runs is the same: an exception can only come from
 * code that was protected by this handler already, or by a `try` of its own nested inside (whose
 * handler must not throw either). Emitted tries have no `finally`, so a `return`, `break` or
 * `continue` inside leaves as before. Lowered for size only: lowered for speed, what cannot throw
 * stays out of the try, which keeps resume functions within what V8 inlines.
 */
export function widenTries(ts: typeof TS, nodes: SNode[], quiet: QuietCode): SNode[] {
  const isCond = (e: TS.Node): boolean => ts.isIdentifier(e) && e.text === quiet.cond;
  const safe = (n: SNode, t: SNode & { k: 'try' }): boolean => {
    switch (n.k) {
      case 'code':
        return n.stmts.every((s) => quiet.stmt(s));
      case 'break':
      case 'continue':
        return true;
      case 'block':
      case 'loop':
        return n.body.every((x) => safe(x, t));
      case 'if':
        return quiet.expr(n.cond) && n.then.every((x) => safe(x, t)) && n.else.every((x) => safe(x, t));
      case 'switch':
        return quiet.expr(n.on) && n.cases.every((c) => c.body.every((x) => safe(x, t))) && n.default.every((x) => safe(x, t));
      case 'try':
        return sameHandler(t, n) || n.handler.every((x) => safe(x, t));
    }
  };
  // Inside the widened try, a nested try with its handler is only its body (not inside another
  // handler's try, whose catch would come first).
  const unwrapSame = (list: readonly SNode[], t: SNode & { k: 'try' }): SNode[] =>
    list.flatMap((n): SNode[] => {
      if (n.k === 'try') return sameHandler(t, n) ? unwrapSame(n.body, t) : [n];
      return [mapChildren(n, (l) => unwrapSame(l, t))];
    });
  // `cond = x; if (cond)`, now side by side in one try: `if (x)` (the local is set just before
  // each test that reads it, so this read was its only one).
  const inlineConditions = (list: readonly SNode[]): SNode[] => {
    const out = list.map((n) => (n.k === 'try' ? n : mapChildren(n, inlineConditions)));
    for (let i = 1; i < out.length; i++) {
      const prev = out[i - 1];
      const n = out[i];
      if (n.k !== 'if' || prev.k !== 'code' || !isCond(n.cond)) continue;
      const last = prev.stmts[prev.stmts.length - 1];
      const set = last && ts.isExpressionStatement(last) ? last.expression : undefined;
      if (!set || !ts.isBinaryExpression(set) || set.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !isCond(set.left)) continue;
      out[i - 1] = { k: 'code', stmts: prev.stmts.slice(0, -1) };
      out[i] = { ...n, cond: set.right };
    }
    return out.filter((n) => n.k !== 'code' || n.stmts.length > 0);
  };
  // The jump that ends the widened body goes after the try (when the handler never falls
  // through, only the body reaches it): at the end of a loop body or labeled block it is then
  // the jump that tidying, or a minifier, drops. Mutates `body`; returns what follows the try.
  const isJump = (l: SNode[]): boolean => l.length === 1 && (l[0].k === 'break' || l[0].k === 'continue');
  const peelJump = (body: SNode[], handler: SNode[]): SNode[] => {
    if (fallsThrough(ts, handler)) return [];
    const last = body[body.length - 1];
    if (!last) return [];
    if (last.k === 'break' || last.k === 'continue') return [body.pop()!];
    if (last.k !== 'if') return [];
    if (isJump(last.else) && !fallsThrough(ts, last.then)) {
      body[body.length - 1] = { ...last, else: [] };
      return last.else;
    }
    if (isJump(last.then) && last.else.length && !fallsThrough(ts, last.else)) {
      body[body.length - 1] = { ...last, then: [] };
      return last.then;
    }
    return [];
  };
  const widen = (list: readonly SNode[]): SNode[] => {
    const out = list.map((n) => mapChildren(n, widen));
    for (let i = 0; i < out.length; i++) {
      const t = out[i];
      if (t.k !== 'try' || t.key === undefined) continue;
      let lo = i;
      let hi = i + 1;
      while (lo > 0 && safe(out[lo - 1], t)) lo--;
      while (hi < out.length && safe(out[hi], t)) hi++;
      if (lo === i && hi === i + 1) continue;
      const body = inlineConditions(unwrapSame([...out.slice(lo, i), ...t.body, ...out.slice(i + 1, hi)], t));
      const after = peelJump(body, t.handler);
      out.splice(lo, hi - lo, { ...t, body }, ...after);
      i = lo + after.length;
    }
    return out;
  };
  return widen(nodes);
}

/** The node with each of its lists of children replaced by `fn` of it. */
export function mapChildren(n: SNode, fn: (list: readonly SNode[]) => SNode[]): SNode {
  switch (n.k) {
    case 'block':
    case 'loop':
      return { ...n, body: fn(n.body) };
    case 'if':
      return { ...n, then: fn(n.then), else: fn(n.else) };
    case 'try':
      return { ...n, body: fn(n.body), handler: fn(n.handler) };
    case 'switch':
      return { ...n, cases: n.cases.map((c) => ({ ...c, body: fn(c.body) })), default: fn(n.default) };
    default:
      return n;
  }
}

/** Does control fall off the end of this list? (conservative: true unless it surely jumps/returns) */
export function fallsThrough(ts: typeof TS, list: SNode[]): boolean {
  const last = list[list.length - 1];
  if (!last) return true;
  switch (last.k) {
    case 'break':
    case 'continue':
      return false;
    case 'code': {
      const s = last.stmts[last.stmts.length - 1];
      return !s || !(ts.isReturnStatement(s) || ts.isThrowStatement(s));
    }
    case 'if':
      return fallsThrough(ts, last.then) || fallsThrough(ts, last.else);
    case 'try':
      return fallsThrough(ts, last.body) || fallsThrough(ts, last.handler);
    default:
      return true;
  }
}

/** Two try nodes whose handlers do the same: same key, and both end in the same jump. */
function sameHandler(a: SNode & { k: 'try' }, b: SNode): boolean {
  if (b.k !== 'try' || a.key === undefined || a.key !== b.key || a.catchName !== b.catchName || a.handler.length !== b.handler.length) return false;
  return a.handler.every((x, j) => {
    const y = b.handler[j];
    if (x.k === 'code') return y.k === 'code' && x.stmts.length === y.stmts.length;
    return (x.k === 'break' || x.k === 'continue') && y.k === x.k && y.label === x.label;
  });
}

/**
 * Structured statements → TypeScript statements. When one arm of an `if` always jumps away, the
 * other follows the `if` instead of nesting in it: code after a branch that suspends would
 * otherwise nest one level per statement.
 */
export function toStatements(ts: typeof TS, nodes: SNode[]): TS.Statement[] {
  return statementsOf(ts, unlabelInnermost(nodes));
}

/**
 * Jumps to the innermost loop need no label: a `continue`, and a `break` with no switch nearer.
 * A loop no labeled jump is left to then loses its label (empty here). The minifier keeps labels.
 */
function unlabelInnermost(nodes: SNode[]): SNode[] {
  const used = new Set<string>();
  const SWITCH = '\0switch';
  const walk = (list: readonly SNode[], loop: string | undefined, breakable: string | undefined): SNode[] =>
    list.map((n): SNode => {
      switch (n.k) {
        case 'continue':
        case 'break':
          if (n.label === loop && (n.k === 'continue' || breakable === loop)) return { ...n, label: '' };
          used.add(n.label);
          return n;
        case 'loop':
          return { ...n, body: walk(n.body, n.label, n.label) };
        case 'switch':
          return mapChildren(n, (l) => walk(l, loop, SWITCH));
        default:
          return mapChildren(n, (l) => walk(l, loop, breakable));
      }
    });
  const strip = (list: readonly SNode[]): SNode[] =>
    list.map((n) => (n.k === 'loop' ? { ...n, label: used.has(n.label) ? n.label : '', body: strip(n.body) } : mapChildren(n, strip)));
  return strip(walk(nodes, undefined, undefined));
}

/** `!(c)`, or `a !== b` for `a === b` and the other way round. */
function negated(ts: typeof TS, cond: TS.Expression): TS.Expression {
  const f = ts.factory;
  const K = ts.SyntaxKind;
  if (ts.isBinaryExpression(cond) && (cond.operatorToken.kind === K.EqualsEqualsEqualsToken || cond.operatorToken.kind === K.ExclamationEqualsEqualsToken)) {
    const flipped = cond.operatorToken.kind === K.EqualsEqualsEqualsToken ? K.ExclamationEqualsEqualsToken : K.EqualsEqualsEqualsToken;
    return f.createBinaryExpression(cond.left, flipped, cond.right);
  }
  return f.createLogicalNot(f.createParenthesizedExpression(cond));
}

function statementsOf(ts: typeof TS, nodes: SNode[]): TS.Statement[] {
  const toStatements = statementsOf;
  const f = ts.factory;
  const out: TS.Statement[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    switch (n.k) {
      case 'code':
        out.push(...n.stmts);
        break;
      case 'block':
        out.push(f.createLabeledStatement(n.label, f.createBlock(toStatements(ts, n.body), true)));
        break;
      case 'loop': {
        const loop = f.createForStatement(undefined, undefined, undefined, f.createBlock(toStatements(ts, n.body), true));
        out.push(n.label ? f.createLabeledStatement(n.label, loop) : loop);
        break;
      }
      case 'if': {
        const thenS = toStatements(ts, n.then);
        const elseS = toStatements(ts, n.else);
        if (thenS.length === 0 && elseS.length === 0) {
          out.push(f.createExpressionStatement(n.cond));
          break;
        }
        if (thenS.length === 0) {
          out.push(f.createIfStatement(negated(ts, n.cond), f.createBlock(elseS, true)));
          break;
        }
        if (elseS.length && !fallsThrough(ts, n.then)) {
          out.push(f.createIfStatement(n.cond, f.createBlock(thenS, true)), ...elseS);
          break;
        }
        if (elseS.length && !fallsThrough(ts, n.else)) {
          out.push(f.createIfStatement(negated(ts, n.cond), f.createBlock(elseS, true)), ...thenS);
          break;
        }
        out.push(f.createIfStatement(n.cond, f.createBlock(thenS, true), elseS.length ? f.createBlock(elseS, true) : undefined));
        break;
      }
      case 'break':
        out.push(f.createBreakStatement(n.label || undefined));
        break;
      case 'continue':
        out.push(f.createContinueStatement(n.label || undefined));
        break;
      case 'try': {
        // Consecutive blocks of one region protected by the same handler become one try.
        const body = [...n.body];
        while (i + 1 < nodes.length && sameHandler(n, nodes[i + 1])) body.push(...(nodes[++i] as typeof n).body);
        out.push(f.createTryStatement(f.createBlock(toStatements(ts, body), true), f.createCatchClause(n.catchName, f.createBlock(toStatements(ts, n.handler), true)), undefined));
        break;
      }
      case 'switch':
        out.push(
          f.createSwitchStatement(
            n.on,
            f.createCaseBlock([
              ...n.cases.map((c) => f.createCaseClause(f.createNumericLiteral(c.value), toStatements(ts, c.body))),
              ...(n.default.length ? [f.createDefaultClause(toStatements(ts, n.default))] : []),
            ]),
          ),
        );
        break;
    }
  }
  return out;
}
