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
import { bindingNames, varNames } from '../scope.js';

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
  const params = new Set(fn.parameters.flatMap((p) => bindingNames(ts, p.name)).map((id) => id.text));
  // (a function in a nested block is a var only under Annex B, which leaves out parameter names)
  const clash =
    varNames(ts, fn.body, { isFunctionBoundary: (n) => isFunctionBoundary(ts, n) }).find((id) => params.has(id.text)) ??
    fn.body.statements.find((st): st is TS.FunctionDeclaration => ts.isFunctionDeclaration(st) && !!st.name && params.has(st.name.text))?.name;
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
