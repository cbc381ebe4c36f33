// Which `yield* child(…)` awaits in a task can skip the coroutine machinery altogether: heap
// allocation elision for tasks, what LLVM's CoroElide does once it sees the callee's frame cannot
// outlive the caller. Here the condition is stronger and purely syntactic: the child has no
// suspension point at all (none of its own, and every `yield*` in it awaits another such child), so
// awaiting it runs its body to completion on the awaiting task's stack, with the awaiting task's
// scheduler and stop token, and hands over its value or exception. The lowering then calls a plain
// function holding the child's body instead of creating a frame, a promise and an awaiter.
//
// What makes a child elidable (each is needed for the call to be the same as the await):
//   - a `function*` declared directly at the top of a module (not a script, whose top-level
//     functions are globals that other scripts can reassign), whose declared return type is
//     corosplit's Task or Lazy (the caller decides that; this module gets it as `isTask`);
//   - its name is bound nowhere else in the file and never assigned, and the file has no `with`
//     and no `eval`, so every `name(…)` in the file calls that declaration;
//   - no frame allocator argument (`f(allocatorArg, alloc, …)`): the caller asked for a frame;
//   - every `yield` in its body is a `yield* other(…)` of another elidable child (least fixpoint,
//     so recursion is never elided).
// The awaiting coroutine must itself be a Task or Lazy: another promise type's awaitTransform could
// see the child; the caller checks that too.
//
// A child that does suspend can still be elided speculatively (runtime/task-elision.ts): its body
// becomes a plain function too, `child$fast`, which runs until an await that is not ready and
// then materializes the frame. Such a child ("fast") meets the first three conditions, and:
//   - its promise type and its awaiter's are exactly corosplit's TaskPromise (a Task<T>): the
//     elided body uses its awaiting task's scheduler, stop token and step budget, which only
//     that promise type makes the same as its own;
//   - its parameters are plain names (no default, pattern or rest), and its body has no class, no
//     nested function other than plain closures that capture none of its bindings, no `this`,
//     `arguments`, `super` or `new.target`, and no `yield v`: all its values can live in JS locals
//     until it materializes, and it needs no receiver;
//   - some `yield* child(…)` in the file awaits it, or the module exports it (the body function
//     is emitted for those).
//
// An exported child's body function goes along with it, to other modules: the module attaches it
// to the child's function object (coExportFast, under a symbol of the runtime), and a task that
// awaits `yield* imported(…)` of a binding imported from another module calls it when the function
// it finds there carries one, and the function itself otherwise (a mock, a plain function, another
// runtime's task). That await (`importedIn`) needs, beside an awaiting plain Task: the callee an
// imported binding bound nowhere else in the file, and arguments without a yield, a function or a
// class (they are written twice, once per branch, and only one runs).
import type * as TS from 'typescript';
import { SyntaxFacts } from '../syntax.js';

export interface TaskElision {
  /** The child a `yield*` awaits, when that await can be a call of its body; the call otherwise. */
  childOf(y: TS.YieldExpression): TS.FunctionDeclaration | undefined;
  /** The awaits of a body (its own, not those of nested functions and classes) that can be calls, with their children. */
  elidedIn(body: TS.Node): Map<TS.YieldExpression, TS.FunctionDeclaration>;
  /** Whether a child gets a speculative body function (`child$fast`). */
  isFast(fn: TS.FunctionDeclaration): boolean;
  /** The awaits of a body (its own) of children that have one, with their children. */
  fastIn(body: TS.Node): Map<TS.YieldExpression, TS.FunctionDeclaration>;
  /** Whether the module exports a child, so that its body function goes along (coExportFast). */
  isExported(fn: TS.FunctionDeclaration): boolean;
  /** The awaits of a body (its own) of imported functions, which may carry a body function. */
  importedIn(body: TS.Node): Set<TS.YieldExpression>;
}

export function planTaskElision(
  ts: typeof TS,
  sf: TS.SourceFile,
  isTask: (fn: TS.FunctionDeclaration) => boolean,
  isPlainTask: (fn: TS.FunctionDeclaration) => boolean = () => false,
  runtimeModule = 'corosplit/runtime',
): TaskElision {
  const none: TaskElision = { childOf: () => undefined, elidedIn: () => new Map(), isFast: () => false, fastIn: () => new Map(), isExported: () => false, importedIn: () => new Set() };
  // "Reaches a yield of this function": the builder's own rule (nested bodies no, computed names yes).
  const facts = new SyntaxFacts(ts);
  const hasOwnYield = (n: TS.Node): boolean => facts.containsYield(n);
  // In a script, a top-level function is a global binding that another script can reassign.
  if (!ts.isExternalModule(sf)) return none;
  const candidates = new Map<string, TS.FunctionDeclaration>();
  const exported = new Set<string>();
  const imports = new Set<string>();
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      if (!c || c.isTypeOnly || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text === runtimeModule) continue;
      if (c.name) imports.add(c.name.text);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const el of c.namedBindings.elements) if (!el.isTypeOnly) imports.add(el.name.text);
      continue;
    }
    if (ts.isExportDeclaration(s) && !s.moduleSpecifier && !s.isTypeOnly && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const el of s.exportClause.elements) if (!el.isTypeOnly) exported.add((el.propertyName ?? el.name).text);
      continue;
    }
    if (ts.isExportAssignment(s) && !s.isExportEquals && ts.isIdentifier(s.expression)) {
      exported.add(s.expression.text);
      continue;
    }
    if (!ts.isFunctionDeclaration(s) || !s.asteriskToken || !s.body || !s.name) continue;
    if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) continue;
    if (s.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) exported.add(s.name.text);
    if (candidates.has(s.name.text)) candidates.delete(s.name.text);
    else candidates.set(s.name.text, s);
  }
  if (candidates.size === 0 && imports.size === 0) return none;
  const rebound = new Set<string>();
  const awaitedAnywhere = new Set<string>();
  let dynamicScope = false;
  // Ancestors are tracked here: a file parsed on its own may have no parent pointers.
  const path: TS.Node[] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isWithStatement(n)) dynamicScope = true;
    if (ts.isYieldExpression(n)) {
      const callee = elidableCallee(ts, n);
      if (callee !== undefined) awaitedAnywhere.add(callee);
    }
    if (ts.isIdentifier(n)) {
      if (n.text === 'eval') dynamicScope = true;
      else if (candidates.has(n.text) && n !== candidates.get(n.text)!.name && (bindsName(ts, n, path) || isAssigned(ts, n, path))) rebound.add(n.text);
      else if (imports.has(n.text) && bindsName(ts, n, path) && !path.some((a) => ts.isImportDeclaration(a))) rebound.add(n.text);
    }
    path.push(n);
    ts.forEachChild(n, visit);
    path.pop();
  };
  visit(sf);
  if (dynamicScope) return none;
  for (const [name, fn] of candidates) {
    if (rebound.has(name) || takesAllocator(ts, fn) || !isTask(fn)) candidates.delete(name);
  }
  // Least fixpoint: a candidate joins once every await in it goes to a member.
  const awaited = new Map<string, string[] | undefined>();
  for (const [name, fn] of candidates) awaited.set(name, awaitedChildren(ts, fn.body!, hasOwnYield));
  const children = new Map<string, TS.FunctionDeclaration>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, targets] of awaited) {
      if (children.has(name) || targets === undefined || !targets.every((t) => children.has(t))) continue;
      children.set(name, candidates.get(name)!);
      grew = true;
    }
  }
  const fast = new Map<string, TS.FunctionDeclaration>();
  for (const [name, fn] of candidates) if (isPlainTask(fn) && fastShape(ts, fn) && (children.has(name) ? exported.has(name) : awaitedAnywhere.has(name) || exported.has(name))) fast.set(name, fn);
  for (const name of rebound) imports.delete(name);
  if (children.size === 0 && fast.size === 0 && imports.size === 0) return none;
  const childIn = (from: ReadonlyMap<string, TS.FunctionDeclaration>) => (y: TS.YieldExpression): TS.FunctionDeclaration | undefined => {
    const name = elidableCallee(ts, y);
    if (name === undefined) return undefined;
    const child = from.get(name);
    // An argument that awaits makes this a real suspension point: the call comes after it.
    return child && !(y.expression as TS.CallExpression).arguments.some(hasOwnYield) ? child : undefined;
  };
  const awaitsIn = <T>(of: (y: TS.YieldExpression) => T | undefined) => (body: TS.Node): Map<TS.YieldExpression, T> => {
    const out = new Map<TS.YieldExpression, T>();
    // Awaits inside nested functions and classes (computed names, heritage) stay awaits.
    const visit = (n: TS.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isYieldExpression(n)) {
        const c = of(n);
        if (c) out.set(n, c);
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return out;
  };
  const childOf = childIn(children);
  const fastSet = new Set(fast.values());
  const importedIn = (body: TS.Node): Set<TS.YieldExpression> => {
    const byImport = awaitsIn((y) => {
      const name = elidableCallee(ts, y);
      if (name === undefined || !imports.has(name)) return undefined;
      return (y.expression as TS.CallExpression).arguments.some((a) => hasOwnYield(a) || containsFunctionOrClass(ts, a)) ? undefined : name;
    })(body);
    return new Set(byImport.keys());
  };
  return { childOf, elidedIn: awaitsIn(childOf), isFast: (fn) => fastSet.has(fn), fastIn: awaitsIn(childIn(fast)), isExported: (fn) => !!fn.name && exported.has(fn.name.text), importedIn };
}

/** The body and parameters a speculative body function can hold (see the header). */
function fastShape(ts: typeof TS, fn: TS.FunctionDeclaration): boolean {
  if (!fn.parameters.every((p) => ts.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken)) return false;
  const own = new Set(fn.parameters.map((p) => (p.name as TS.Identifier).text));
  const declare = (name: TS.BindingName): void => {
    if (ts.isIdentifier(name)) own.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) declare(el.name);
  };
  const receiverOrArguments = (n: TS.Node): boolean => n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword || ts.isMetaProperty(n) || (ts.isIdentifier(n) && n.text === 'arguments');
  const closures: TS.Node[] = [];
  let ok = true;
  const visit = (n: TS.Node): void => {
    if (!ok || ts.isTypeNode(n)) return;
    // A closure that is an ordinary function (no generator, no async) is kept whole; whether it
    // captures a binding of the child is asked below.
    if (ts.isArrowFunction(n) || (ts.isFunctionExpression(n) && !n.asteriskToken)) {
      if (n.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) ok = false;
      else closures.push(n);
      return;
    }
    if (ts.isFunctionLike(n) || ts.isClassLike(n) || receiverOrArguments(n) || (ts.isYieldExpression(n) && !n.asteriskToken)) {
      ok = false;
      return;
    }
    if (ts.isVariableDeclaration(n)) declare(n.name);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body!, visit);
  if (!ok) return false;
  // A closure naming a binding of the child may capture it, and a captured binding lives in the
  // frame from the start, which an elided body does not have. (By name: a closure's own binding
  // of the same name also counts, which only errs towards no speculative body.)
  // (Parents are passed down: a file parsed on its own may have no parent pointers.)
  const captures = (n: TS.Node, parent: TS.Node): boolean => {
    if (receiverOrArguments(n)) return true;
    if (ts.isIdentifier(n) && own.has(n.text)) {
      // `o.name` and `{ name: … }` name a property, not a binding
      return !((ts.isPropertyAccessExpression(parent) && parent.name === n) || (ts.isPropertyAssignment(parent) && parent.name === n));
    }
    return ts.forEachChild(n, (c) => captures(c, n) || undefined) ?? false;
  };
  return !closures.some((c) => captures(c, fn));
}

/** `yield* name(…)`: the name, when the operand is exactly a call of an identifier. */
function elidableCallee(ts: typeof TS, y: TS.YieldExpression): string | undefined {
  if (!y.asteriskToken || !y.expression) return undefined;
  const e = y.expression;
  if (!ts.isCallExpression(e) || e.questionDotToken || !ts.isIdentifier(e.expression)) return undefined;
  return e.expression.text;
}

/** The names every `yield` in the body awaits, or undefined when one is not `yield* name(…)`. */
function awaitedChildren(ts: typeof TS, body: TS.Block, hasOwnYield: (n: TS.Node) => boolean): string[] | undefined {
  const out: string[] = [];
  let other = false;
  const visit = (n: TS.Node): void => {
    if (other) return;
    // The body function is made by stopping at nested functions and classes (coroutine-lower.ts):
    // a yield of this function inside one (a computed name, a heritage) keeps the child whole.
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) {
      other = hasOwnYield(n);
      return;
    }
    if (ts.isYieldExpression(n)) {
      const name = elidableCallee(ts, n);
      if (name === undefined || (n.expression as TS.CallExpression).arguments.some(hasOwnYield)) {
        other = true;
        return;
      }
      out.push(name);
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return other ? undefined : out;
}

function containsFunctionOrClass(ts: typeof TS, n: TS.Node): boolean {
  if (ts.isFunctionLike(n) || ts.isClassLike(n)) return true;
  return ts.forEachChild(n, (c) => containsFunctionOrClass(ts, c) || undefined) ?? false;
}

/** Is this identifier the name a declaration binds? */
function bindsName(ts: typeof TS, id: TS.Identifier, ancestors: readonly TS.Node[]): boolean {
  const p = ancestors[ancestors.length - 1];
  if (!p) return false;
  if (
    ts.isVariableDeclaration(p) ||
    ts.isParameter(p) ||
    ts.isFunctionDeclaration(p) ||
    ts.isFunctionExpression(p) ||
    ts.isClassDeclaration(p) ||
    ts.isClassExpression(p) ||
    ts.isEnumDeclaration(p) ||
    ts.isModuleDeclaration(p) ||
    ts.isImportEqualsDeclaration(p) ||
    ts.isImportClause(p) ||
    ts.isNamespaceImport(p)
  ) {
    return (p as { name?: TS.Node }).name === id;
  }
  if (ts.isBindingElement(p)) return p.name === id;
  if (ts.isImportSpecifier(p)) return p.name === id;
  return false;
}

/** Is this identifier written to: an assignment's target (destructuring included), `++`/`--`, a for-in/of target? */
function isAssigned(ts: typeof TS, id: TS.Identifier, ancestors: readonly TS.Node[]): boolean {
  let child: TS.Node = id;
  for (let i = ancestors.length - 1; i >= 0; child = ancestors[i], i--) {
    const p = ancestors[i];
    if (ts.isBinaryExpression(p) && p.left === child && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return true;
    if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) && (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
    if ((ts.isForInStatement(p) || ts.isForOfStatement(p)) && p.initializer === child) return true;
    // Inside a destructuring target the name is still a target; anything else ends the search.
    if (!(ts.isParenthesizedExpression(p) || ts.isArrayLiteralExpression(p) || ts.isObjectLiteralExpression(p) || ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p) || ts.isSpreadElement(p) || ts.isSpreadAssignment(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p) || ts.isTypeAssertionExpression(p))) return false;
    // `{ key: name }`: only the value side is a target.
    if (ts.isPropertyAssignment(p) && p.initializer !== child) return false;
  }
  return false;
}

/** `f(allocatorArg, alloc, …)`: the first parameter's declared type names AllocatorArg or typeof allocatorArg. */
export function takesAllocator(ts: typeof TS, fn: TS.SignatureDeclarationBase): boolean {
  const t = fn.parameters[0]?.type;
  if (!t || fn.parameters.length < 2) return false;
  if (ts.isTypeReferenceNode(t)) {
    const n = t.typeName;
    return (ts.isIdentifier(n) ? n.text : n.right.text) === 'AllocatorArg';
  }
  if (ts.isTypeQueryNode(t)) {
    const n = t.exprName;
    return (ts.isIdentifier(n) ? n.text : n.right.text) === 'allocatorArg';
  }
  return false;
}
