// Which plain resume functions never read the value next(v) sends, so their `$v` parameter (and
// the argument their callers in the same coroutine pass for it) can go.
//
// A plain resume point's function is `R($f, $v)`: the runtime calls it with the value and mode,
// and resume functions call one another as `R($f, $v)` when one hands over to another's code
// (tail entries). Most never read the value: a `yield` whose result is unused, a loop head. A
// function reads it when its own code does, or when it passes it on to one that does. The
// runtime tells a plain function by its length, 1 or 2 (runtime/generator.ts, isPlainPoint).
import type * as TS from 'typescript';

/**
 * `fns` with the value parameter removed from each plain function (exactly the parameters
 * `frame, value`) that does not read it, and the value argument removed from calls of those;
 * `dropped`: the names of those functions.
 */
export function dropUnusedValueParams(ts: typeof TS, fns: readonly TS.FunctionDeclaration[], frame: string, value: string): { functions: TS.FunctionDeclaration[]; dropped: ReadonlySet<string> } {
  const byName = new Map(fns.map((fn) => [fn.name!.text, fn]));
  const plain = (fn: TS.FunctionDeclaration): boolean =>
    fn.parameters.length === 2 && fn.parameters.every((p, i) => ts.isIdentifier(p.name) && p.name.text === (i === 0 ? frame : value) && !p.initializer);
  // Whether a call passes the value on as its second argument to a function of this coroutine.
  const passOn = (n: TS.Node): string | undefined =>
    ts.isCallExpression(n) && ts.isIdentifier(n.expression) && byName.has(n.expression.text) && n.arguments.length >= 2 && ts.isIdentifier(n.arguments[1]) && n.arguments[1].text === value
      ? n.expression.text
      : undefined;
  // Per function: whether its own code reads the value, and whom it passes it on to.
  const reads = new Map<string, boolean>();
  const callees = new Map<string, Set<string>>();
  for (const fn of fns) {
    const name = fn.name!.text;
    let own = false;
    const to = new Set<string>();
    const visit = (n: TS.Node): void => {
      const callee = passOn(n);
      if (callee !== undefined) {
        to.add(callee);
        visit((n as TS.CallExpression).expression);
        (n as TS.CallExpression).arguments.forEach((a, i) => i !== 1 && visit(a));
        return;
      }
      if (ts.isIdentifier(n) && n.text === value) own = true;
      ts.forEachChild(n, visit);
    };
    visit(fn.body!);
    reads.set(name, own || !plain(fn));
    callees.set(name, to);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, to] of callees) {
      if (!reads.get(name) && [...to].some((c) => reads.get(c))) {
        reads.set(name, true);
        changed = true;
      }
    }
  }
  const unread = new Set([...reads].filter(([, r]) => !r).map(([n]) => n));
  if (!unread.size) return { functions: [...fns], dropped: unread };
  const f = ts.factory;
  const dropArgs = (n: TS.Node): TS.Node => {
    const visited = ts.visitEachChild(n, dropArgs, undefined);
    const callee = passOn(visited);
    if (callee === undefined || !unread.has(callee) || (visited as TS.CallExpression).arguments.length !== 2) return visited;
    const call = visited as TS.CallExpression;
    return f.updateCallExpression(call, call.expression, call.typeArguments, [call.arguments[0]]);
  };
  const functions = fns.map((fn) => {
    const body = dropArgs(fn.body!) as TS.Block;
    const params = unread.has(fn.name!.text) ? [fn.parameters[0]] : fn.parameters;
    return f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, params, fn.type, body);
  });
  return { functions, dropped: unread };
}
