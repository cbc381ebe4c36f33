// Can a generator that contains a direct eval be lowered, and how?
//
// Code a direct eval runs names the function's bindings at run time, so they must stay real
// bindings in a real scope around it. Across a suspension they cannot: resume functions see the
// frame's fields, under other names. A generator that never suspends has nothing to keep across
// one, so its body can stay whole: an arrow created by the ramp, inside the scope of the ramp's
// native parameters, that the generator's one resume point calls. Every binding the eval could
// name is then native: parameters, body variables, `this`, `arguments`, the method's `super`.
//
// What an arrow inside the ramp cannot reproduce is refused, with the reason:
//   - a `var` (or function) of the body that has a parameter's name: in the function it is that
//     parameter (or, with parameter initialisers, starts with its value); in the arrow it would be
//     a new binding starting undefined;
//   - the own name of a named generator expression in sloppy code: an assignment to it is
//     silently ignored, which no declaration the ramp can make reproduces (a strict body gets a
//     `const`, which throws as the name binding does).
import type * as TS from 'typescript';
import { isFunctionBoundary } from '../syntax.js';

export type EvalBodyVerdict =
  /** no direct eval: the ordinary lowering */
  | { readonly kind: 'none' }
  /** the body stays whole, in an arrow the ramp creates; `ownName`: a strict named expression's name, to declare for it */
  | { readonly kind: 'native'; readonly ownName?: string }
  | { readonly kind: 'refused'; readonly at: TS.Node; readonly what: string; readonly hint: string };

const EVAL = 'a direct eval() in a generator';

export function evalBodyVerdict(
  ts: typeof TS,
  fn: TS.FunctionLikeDeclaration,
  evalCall: TS.CallExpression | undefined,
  facts: { containsYield(n: TS.Node): boolean },
  strict: boolean,
  awaits: boolean,
): EvalBodyVerdict {
  if (!evalCall) return { kind: 'none' };
  const refuse = (what: string, hint: string): EvalBodyVerdict => ({ kind: 'refused', at: evalCall, what, hint });
  if (awaits || !fn.body || !ts.isBlock(fn.body)) {
    return refuse(EVAL, "the evaluated code would see the state machine's variables, not the ones you wrote; use an indirect eval, (0, eval)(…), or move the eval out of the function");
  }
  if (facts.containsYield(fn.body)) {
    return refuse(EVAL, "the generator suspends, so the evaluated code would see the state machine's variables, not the ones you wrote (only a generator that never yields keeps its body whole); use an indirect eval, (0, eval)(…), or move the eval out of the generator");
  }
  const params = new Set<string>();
  const addNames = (n: TS.BindingName): void => {
    if (ts.isIdentifier(n)) params.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) addNames(e.name);
  };
  for (const p of fn.parameters) addNames(p.name);
  const clash = varNamed(ts, fn.body, params);
  if (clash) {
    return {
      kind: 'refused',
      at: clash,
      what: EVAL,
      hint: `its body stays whole for the eval, and there this var '${clash.text}' would be a new variable, not the parameter of that name; rename it or assign the parameter instead`,
    };
  }
  const own = ts.isFunctionExpression(fn) && fn.name && !params.has(fn.name.text) ? fn.name.text : undefined;
  if (own && !strict) {
    return refuse(EVAL, `in a named generator expression in sloppy code, an assignment to its name '${own}' would throw instead of being ignored; make the code strict, drop the name, or use an indirect eval, (0, eval)(…)`);
  }
  return { kind: 'native', ...(own ? { ownName: own } : {}) };
}

/** The first `var` or function declaration of the body's own scope whose name is in `names`. */
function varNamed(ts: typeof TS, body: TS.Block, names: ReadonlySet<string>): TS.Identifier | undefined {
  let found: TS.Identifier | undefined;
  const bound = (n: TS.BindingName): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      if (names.has(n.text)) found = n;
    } else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bound(e.name);
  };
  const visit = (n: TS.Node): void => {
    if (found) return;
    if (ts.isFunctionDeclaration(n) && n.name && names.has(n.name.text)) {
      found = n.name;
      return;
    }
    if (isFunctionBoundary(ts, n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing))) {
      for (const d of n.declarations) bound(d.name);
    }
    ts.forEachChild(n, visit);
  };
  body.statements.forEach(visit);
  return found;
}
