// Lowering of promise-type coroutines: a `function*` whose declared return type names a promise
// type through corosplit's `promiseType` symbol (see promise-type.ts for the rule). The pipeline is
// the generators' (build → liveness → layout) with the builder in coroutine mode; the emitter is
// emit/promise.ts and the ramp is built here, in the shape of docs/coroutine-abi.md §4. Naming and
// placement are the file's (file-lowering.ts), as for generators.
import type * as TS from 'typescript';
import { CoroutineBuilder } from './build.js';
import { emitPromiseCoroutine, renameReserved, type CoEmitInput } from './emit/promise.js';
import { LoweringError } from './errors.js';
import { checkerPromiseTypeFacts } from '../oracle/checker.js';
import type { PromiseTypeAnswer } from '../oracle/facts.js';
import { decidePromiseType, plainlyNotPromiseType, syntacticPromiseTypeName, type PromiseClassRef, type PromiseTypeResult } from './promise-type.js';
import { planTaskElision, takesAllocator, type TaskElision } from './analysis/task-elision.js';
import { baseName, containsPrivateName, displayName, findSuper, refersToEnclosingScope } from './function-facts.js';
import type { CoroutineFunction as Fn, LoweringFile } from './lowering-file.js';
import { emitElidedBody, type ElidedBodyNames } from './emit/elided-body.js';
export type { CoroutineLoweringOptions } from './options.js';

/**
 * Returns the per-node hook: the lowered ramp for a promise-type coroutine, the unchanged node
 * (with a diagnostic) for one that cannot be lowered, or undefined for a plain generator.
 */
export function createPromiseCoroutineLowering(env: LoweringFile): (node: Fn) => TS.VisitResult<TS.Node> | undefined {
  const { ts, sf, names, runtime } = env;
  const f = ts.factory;
  const runtimeModule = env.options.runtimeModule ?? 'corosplit/runtime';
  const imported = new Map<string, string>();

  const classRef = (ref: PromiseClassRef): TS.Identifier => {
    if (ref.kind === 'runtime') return runtime(ref.name);
    if (ref.kind === 'local') return f.createIdentifier(ref.name);
    const key = `${ref.specifier}\0${ref.name}`;
    let local = imported.get(key);
    if (!local) {
      local = names.fresh(`${ref.name}$co`);
      imported.set(key, local);
      env.moduleLevel.unshift(
        f.createImportDeclaration(undefined, f.createImportClause(false, undefined, f.createNamedImports([f.createImportSpecifier(false, f.createIdentifier(ref.name), f.createIdentifier(local))])), f.createStringLiteral(ref.specifier)),
      );
    }
    return f.createIdentifier(local);
  };

  // What each coroutine's declared return type says, asked once per function: the task-elision
  // plan asks about the file's top-level coroutines before their turn comes.
  type Detection = { kind: 'plain' } | { kind: 'needs-checker'; name: string } | { kind: 'decided'; result: NonNullable<PromiseTypeResult> };
  const detections = new Map<TS.Node, Detection>();
  const detect = (orig: Fn, display: string): Detection => {
    let d = detections.get(orig);
    if (!d) detections.set(orig, (d = detectUncached(orig, display)));
    return d;
  };
  const detectUncached = (orig: Fn, display: string): Detection => {
    // A function declaration nested in a lowered body is re-created as a synthesized function
    // expression; its return type node is still the original one.
    if (!orig.type || orig.type.pos < 0) return { kind: 'plain' };
    const checker = env.options.checker ?? env.options.program?.getTypeChecker();
    const oracle = env.options.typeOracle;
    let answer: PromiseTypeAnswer;
    if (checker) answer = checkerPromiseTypeFacts(ts, checker, orig.type, sf);
    else if (oracle && !plainlyNotPromiseType(ts, orig.type, sf)) {
      const source = ts.getOriginalNode(sf) as TS.SourceFile;
      answer = oracle.promiseTypeAt(source.fileName, source.text, orig.type.getStart(source), orig.type.end);
    } else {
      const name = syntacticPromiseTypeName(ts, orig, ts.getOriginalNode(sf) as TS.SourceFile, runtimeModule);
      return name ? { kind: 'needs-checker', name } : { kind: 'plain' };
    }
    const result = decidePromiseType(answer, (ts.getOriginalNode(sf) as TS.SourceFile).fileName, display);
    return result ? { kind: 'decided', result } : { kind: 'plain' };
  };
  /** corosplit's own Task or Lazy: the promise types whose awaits of each other task elision may replace. */
  const isRuntimeTask = (d: Detection): boolean =>
    d.kind === 'decided' && d.result.ok && d.result.ref.kind === 'runtime' && (d.result.className === 'TaskPromise' || d.result.className === 'LazyPromise');

  /** Exactly corosplit's TaskPromise: the promise type of children elided speculatively, and of their awaiters. */
  const isPlainTask = (d: Detection): boolean => d.kind === 'decided' && d.result.ok && d.result.ref.kind === 'runtime' && d.result.className === 'TaskPromise';

  let elision: TaskElision | undefined;
  const elisionPlan = (): TaskElision =>
    (elision ??= planTaskElision(
      ts,
      ts.getOriginalNode(sf) as TS.SourceFile,
      (fn) => isRuntimeTask(detect(fn, displayName(ts, fn))),
      // Lowered for size, no child gets a second copy of its body.
      (fn) => env.options.optimize !== 'size' && isPlainTask(detect(fn, displayName(ts, fn))),
      runtimeModule,
    ));
  const fastFunctions = new Map<TS.FunctionDeclaration, string>();
  /** The name of a child's speculative body function (emitted with the child, whichever comes first). */
  const fastFunction = (child: TS.FunctionDeclaration): string => {
    let name = fastFunctions.get(child);
    if (!name) fastFunctions.set(child, (name = names.fresh(`${child.name!.text}$fast`)));
    return name;
  };
  /** The awaits of `node` (a Task) whose operands become calls of a child's speculative body function. */
  const fastAwaits = (node: Fn, elided: ReadonlyMap<TS.Node, string> | undefined): Map<TS.Node, string> | undefined => {
    const out = new Map<TS.Node, string>();
    for (const [y, child] of elisionPlan().fastIn(node.body!)) if (!elided?.has(y)) out.set(y.expression!, fastFunction(child));
    return out.size ? out : undefined;
  };
  /** The awaits of `node` (a Task) of imported functions, whose operands test for a speculative body function first. */
  const importedAwaits = (node: Fn): Set<TS.Node> | undefined => {
    if (env.options.optimize === 'size') return undefined;
    const out = new Set<TS.Node>();
    for (const y of elisionPlan().importedIn(node.body!)) out.add(y.expression!);
    return out.size ? out : undefined;
  };
  const bodyFunctions = new Map<TS.FunctionDeclaration, string>();
  /**
   * The name of the plain function holding an elidable child's body, emitted at module level on
   * first use. Its own awaits of other such children are calls of theirs.
   */
  const bodyFunction = (child: TS.FunctionDeclaration): string => {
    let name = bodyFunctions.get(child);
    if (name) return name;
    name = names.fresh(`${child.name!.text}$body`);
    bodyFunctions.set(child, name);
    const plan = elisionPlan();
    const replace = (n: TS.Node): TS.Node => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return n;
      if (ts.isYieldExpression(n)) {
        const c = plan.childOf(n)!; // every await in an elidable child is elidable
        const call = n.expression as TS.CallExpression;
        return ts.setTextRange(f.createCallExpression(f.createIdentifier(bodyFunction(c)), undefined, call.arguments), n);
      }
      return ts.visitEachChild(n, replace, undefined);
    };
    const fn = f.createFunctionDeclaration(undefined, undefined, name, undefined, child.parameters, undefined, replace(child.body!) as TS.Block);
    ts.setTextRange(fn, child);
    env.moduleLevel.push(env.visitor(fn) as TS.FunctionDeclaration);
    return name;
  };
  /** The awaits of `node` (a Task or Lazy) that become calls, each with its body function. */
  const elidedAwaits = (node: Fn): Map<TS.Node, string> | undefined => {
    const elided = elisionPlan().elidedIn(node.body!);
    if (elided.size === 0) return undefined;
    return new Map([...elided].map(([y, child]) => [y, bodyFunction(child)]));
  };

  return (node) => {
    const display = displayName(ts, node);
    const orig = ts.getOriginalNode(node) as Fn;
    const detection = detect(orig, display);
    if (detection.kind === 'plain') return undefined;
    if (detection.kind === 'needs-checker') {
      env.report(
        orig.type!,
        `'${display}' returns ${detection.name}<…>, a promise-type coroutine, which corosplit can only recognise with the type checker: lower the file with 'corosplit build', transformProgram(), a bundler plugin given a tsconfig, or the ts-patch plugin (in generator '${display}')`,
      );
      return ts.visitEachChild(node, env.visitor, undefined);
    }
    const detected = detection.result;
    if (!detected.ok) {
      env.report(orig.type!, detected.message);
      return ts.visitEachChild(node, env.visitor, undefined);
    }
    if (node.pos < 0) {
      env.report(node.type!, `'${display}' is a promise-type coroutine declared with a function declaration inside a lowered coroutine or generator body, which corosplit cannot lower yet: declare it as \`const ${display} = function* …\` (in promise-type coroutine '${display}')`);
      return node;
    }
    try {
      if (env.options.runtime === 'inline') throw new LoweringError(node, `promise-type coroutines with runtime: 'inline' (they need the runtime module; use runtime: 'import')`);
      checkYieldValue(node, detected.className, detected.members);
      const elided = isRuntimeTask(detection) ? elidedAwaits(node) : undefined;
      const plain = isPlainTask(detection);
      const fast = plain && ts.isFunctionDeclaration(orig) && elisionPlan().isFast(orig) ? { name: fastFunction(orig), ramp: orig.name!.text } : undefined;
      const exportFast = fast !== undefined && elisionPlan().isExported(orig as TS.FunctionDeclaration);
      return lower(node, display, detected.ref, detected.members, elided, plain, plain ? fastAwaits(node, elided) : undefined, plain ? importedAwaits(node) : undefined, fast, exportFast);
    } catch (e) {
      if (e instanceof LoweringError) {
        const at = e.node.pos >= 0 && !ts.isSourceFile(e.node) ? e.node : node;
        env.report(at, `${e.message} (in promise-type coroutine '${display}')`);
        return ts.visitEachChild(node, env.visitor, undefined);
      }
      throw e;
    }
  };

  /** `yield v` needs promise.yieldValue; say so at compile time rather than when it runs. */
  function checkYieldValue(node: Fn, className: string, members: Set<string>): void {
    if (members.has('yieldValue')) return;
    const visit = (n: TS.Node): void => {
      if (ts.isYieldExpression(n) && !n.asteriskToken) throw new LoweringError(n, `\`yield v\` in a coroutine whose promise type '${className}' has no yieldValue (use \`yield*\` to await)`);
      if (!ts.isFunctionLike(n) && !ts.isClassLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(node.body!, visit);
  }

  function lower(
    node: Fn,
    display: string,
    ref: PromiseClassRef,
    members: Set<string>,
    elidedCalls: ReadonlyMap<TS.Node, string> | undefined,
    plainTask: boolean,
    fastCalls: ReadonlyMap<TS.Node, string> | undefined,
    importedFastCalls: ReadonlySet<TS.Node> | undefined,
    fast: ElidedBodyNames | undefined,
    exportFast: boolean,
  ): TS.VisitResult<TS.Node> {
    const body = node.body!;
    const sup = findSuper(ts, body);
    if (sup) throw new LoweringError(sup, '`super` inside a promise-type coroutine method');
    const usesPrivate = containsPrivateName(ts, body);
    if (usesPrivate && env.classSetups.length === 0) throw new LoweringError(node, 'private names (#x) inside a promise-type coroutine outside a class body');
    checkPatternParameterDefaults(ts, node);
    const elided = elidedCalls ? new Set([...elidedCalls.keys()] as TS.YieldExpression[]) : undefined;
    const built = new CoroutineBuilder(ts, sf, node, display, 'coroutine', false, 'speed', undefined, elided).build();
    renameReserved(built.ir, built.freeNames);
    const analysed = { ...env.analyse(built), elidedCalls, fastCalls, importedFastCalls };
    const { ir, liveness, layout } = analysed;
    const base = baseName(display);
    const needsEnclosingScope = refersToEnclosingScope(ts, node, built.freeNames);
    if (usesPrivate && needsEnclosingScope && !ts.isClassLike(ts.getOriginalNode(node).parent)) {
      throw new LoweringError(node, 'private names (#x) inside a promise-type coroutine that also refers to bindings of an enclosing function');
    }
    const { names: co } = env.coroutineNames(base, layout.segments.length, [], needsEnclosingScope, () => new Set(ir.vars.map((v) => v.name)));
    const frameClass = co.frameClass;
    const resumeNames = layout.segments.map((s) => co.resume(s.index));
    const input: CoEmitInput = {
      ...analysed,
      awaitTransform: members.has('awaitTransform'),
      afterInlineAwait: members.has('afterInlineAwait'),
      shape: env.options.shape ?? 'auto',
      inlineResume: env.options.optimize !== 'size',
      runtime,
      // `next` holds what coSuspend returned: the file's `$v` name, unused otherwise here; `handed`
      // the result an entry function passes on: the generators' `$pass`, unused here too.
      names: { ...co, next: co.value, handed: co.passThrough },
    };
    const emitted = env.emitting(() => emitPromiseCoroutine(input));
    const speculative = fast ? env.emitting(() => emitElidedBody(input, fast, emitted.shape === 'dispatch')) : undefined;
    const elidedBody = speculative?.fn;
    env.options.onCoroutine?.({ ir, liveness, layout, frameClass, resumeNames, sourceFile: sf });
    env.moduleLevel.push(emitted.frameClass);
    env.placeStepFunctions([...emitted.closureMakers, ...emitted.resumeFunctions, ...(elidedBody ? [elidedBody] : [])], undefined, usesPrivate, needsEnclosingScope);
    // Other modules' awaits find the body function on the exported ramp. Both are hoisted function
    // declarations, and this statement goes before the module's own code.
    if (speculative?.runsBody && fast && exportFast) {
      env.moduleLevel.push(f.createExpressionStatement(f.createCallExpression(runtime('coExportFast'), undefined, [f.createIdentifier(fast.ramp), f.createIdentifier(fast.name)])));
    }

    // The ramp (coroutine-abi.md §4).
    const P = (): TS.Identifier => classRef(ref);
    const fr = names.fresh('$frame');
    const frId = (): TS.Identifier => f.createIdentifier(fr);
    // A destructuring parameter becomes a plain one ($argN) that the ramp destructures first, so
    // the promise constructor gets the argument itself (defaults applied) and the bindings are
    // there to copy into the frame.
    const argNames = node.parameters.map((p, i) => (ts.isIdentifier(p.name) ? p.name.text : names.fresh(`$arg${i}`)));
    const destructure: TS.Statement[] = [];
    const params = node.parameters.map((p0, i) => {
      const p = ts.visitNode(p0, env.visitor) as TS.ParameterDeclaration;
      if (ts.isIdentifier(p0.name)) return p;
      destructure.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(p.name, undefined, undefined, f.createIdentifier(argNames[i]))], ts.NodeFlags.Let)));
      return f.updateParameterDeclaration(p, p.modifiers, p.dotDotDotToken, argNames[i], p.questionToken, p.type, p.initializer);
    });
    const usesAllocator = takesAllocator(ts, node);
    const allocExpr = usesAllocator ? f.createIdentifier(argNames[1]) : f.createVoidZero();
    const stmts: TS.Statement[] = [...destructure];
    // For speed, a new frame's locals are the ramp's to construct (a recycled frame keeps its reset
    // ones): this `new` sees one class, where the allocator's would see every coroutine's
    // (coAllocateHeader). For size, coAllocate constructs them, and the ramp is shorter.
    const constructsLocals = env.options.optimize !== 'size';
    const allocate = f.createCallExpression(runtime(constructsLocals ? 'coAllocateHeader' : 'coAllocate'), undefined, [f.createIdentifier(frameClass), P(), allocExpr]);
    stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(fr, undefined, undefined, allocate)], ts.NodeFlags.Const)));
    stmts.push(f.createIfStatement(f.createStrictEquality(frId(), f.createNull()), f.createReturnStatement(f.createCallExpression(runtime('coAllocationFailed'), undefined, [P(), f.createIdentifier(frameClass)]))));
    const localsAccess = (): TS.PropertyAccessExpression => f.createPropertyAccessExpression(frId(), '$l');
    const made = f.createLogicalOr(localsAccess(), f.createParenthesizedExpression(f.createAssignment(localsAccess(), f.createNewExpression(f.createIdentifier(frameClass), undefined, []))));
    let locals: () => TS.Expression = localsAccess;
    if (constructsLocals && layout.rampFields.length === 0) {
      stmts.push(f.createExpressionStatement(made));
    } else if (constructsLocals) {
      const localsName = names.fresh('$l');
      stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(localsName, undefined, undefined, made)], ts.NodeFlags.Const)));
      locals = () => f.createIdentifier(localsName);
    }
    for (const v of layout.rampFields) {
      const k = ir.vars[v].kind;
      const value = k === 'this' ? f.createThis() : k === 'arguments' ? f.createIdentifier('arguments') : f.createIdentifier(ir.vars[v].original);
      stmts.push(f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(locals(), ir.vars[v].name), value)));
    }
    if (plainTask) {
      // TaskPromise itself: coStartTask constructs it (its constructor ignores the arguments and
      // cannot throw) and answers for its getReturnObject and initialSuspend.
      stmts.push(f.createReturnStatement(f.createCallExpression(runtime('coStartTask'), undefined, [frId(), f.createIdentifier(resumeNames[0])])));
    } else {
      const ctorArgs: TS.Expression[] = [];
      if (ts.isMethodDeclaration(node)) ctorArgs.push(f.createThis());
      node.parameters.forEach((p, i) => {
        const id = f.createIdentifier(argNames[i]);
        ctorArgs.push(p.dotDotDotToken ? f.createSpreadElement(id) : id);
      });
      // A promise constructor that throws hands the frame back before the exception leaves the ramp,
      // as a C++ ramp frees the frame; nothing else could (coroutine-abi.md §4).
      const promiseLocal = names.fresh('$promise');
      const caught = names.fresh('$e');
      stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(promiseLocal)], ts.NodeFlags.Let)));
      stmts.push(
        f.createTryStatement(
          f.createBlock([f.createExpressionStatement(f.createAssignment(f.createIdentifier(promiseLocal), f.createNewExpression(P(), undefined, ctorArgs)))], true),
          f.createCatchClause(caught, f.createBlock([f.createThrowStatement(f.createCallExpression(runtime('coPromiseFailed'), undefined, [frId(), f.createIdentifier(caught)]))], true)),
          undefined,
        ),
      );
      stmts.push(f.createReturnStatement(f.createCallExpression(runtime('coStart'), undefined, [frId(), f.createIdentifier(promiseLocal), f.createIdentifier(resumeNames[0])])));
    }
    const rampBody = f.createBlock(stmts, true);
    ts.setSourceMapRange(rampBody, body);
    const mods = node.modifiers?.map((m) => ts.visitNode(m, env.visitor) as TS.ModifierLike);
    if (ts.isFunctionDeclaration(node)) {
      if (!node.name) throw new LoweringError(node, 'an anonymous default-exported promise-type coroutine (give it a name)');
      return f.updateFunctionDeclaration(node, mods, undefined, node.name, node.typeParameters, params, node.type, rampBody);
    }
    if (ts.isFunctionExpression(node)) return f.updateFunctionExpression(node, mods as TS.Modifier[] | undefined, undefined, node.name, node.typeParameters, params, node.type, rampBody);
    return f.updateMethodDeclaration(node, mods, undefined, node.name, node.questionToken, node.typeParameters, params, node.type, rampBody);
  }
}

/**
 * Destructuring parameters are bound in the ramp's body (see the ramp), so a later parameter's
 * default cannot see their bindings: reject that one combination.
 */
function checkPatternParameterDefaults(ts: typeof TS, node: Fn): void {
  const bound = new Set<string>();
  const names = (n: TS.BindingName, out: Set<string>): void => {
    if (ts.isIdentifier(n)) out.add(n.text);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) names(el.name, out);
  };
  for (const p of node.parameters) {
    if (p.initializer && bound.size) {
      const visit = (n: TS.Node): void => {
        if (ts.isIdentifier(n) && bound.has(n.text)) throw new LoweringError(n, `a parameter default that refers to '${n.text}', a binding of an earlier destructuring parameter`);
        ts.forEachChild(n, visit);
      };
      visit(p.initializer);
    }
    if (!ts.isIdentifier(p.name)) names(p.name, bound);
  }
}
