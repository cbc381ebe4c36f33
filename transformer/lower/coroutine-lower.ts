// Lowering of promise-type coroutines: a `function*` whose declared return type names a promise
// type through corosplit's `promiseType` symbol (see promise-type.ts for the rule). The pipeline is
// the generators' (build → liveness → layout) with the builder in coroutine mode; the emitter is
// emit/promise.ts and the ramp is built here, in the shape of docs/coroutine-abi.md §4.
import type * as TS from 'typescript';
import { CoroutineBuilder } from './build.js';
import { emitPromiseCoroutine, renameReserved, type CoroutineHelper } from './emit/promise.js';
import type { RuntimeHelper } from './emit/generator.js';
import { LoweringError } from './errors.js';
import { layoutFrame } from './layout.js';
import { computeLiveness } from './liveness.js';
import { checkerPromiseTypeFacts } from '../oracle/checker.js';
import type { PromiseTypeAnswer } from '../oracle/facts.js';
import { decidePromiseType, plainlyNotPromiseType, syntacticPromiseTypeName, type PromiseClassRef } from './promise-type.js';
import type { NameAllocator } from './syntax.js';
import { baseName, containsPrivateName, displayName, findSuper, refersToEnclosingScope } from './function-facts.js';
import type { LoweringDiagnostic, LoweringOptions } from './options.js';
export type { CoroutineLoweringOptions } from './options.js';

type Fn = TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration;

export interface CoroutineLoweringEnv {
  ts: typeof TS;
  sf: TS.SourceFile;
  diagnostics: LoweringDiagnostic[];
  options: LoweringOptions;
  names: NameAllocator;
  shared: { frame: string; value: string; mode: string; caught: string; cond: string; locals: string; state: string };
  runtime: (name: RuntimeHelper | CoroutineHelper | string) => TS.Identifier;
  moduleLevel: TS.Statement[];
  collectors: { top: TS.Statement[] }[];
  classSetups: { statements: TS.Statement[] }[];
  hoistLet: (name: string) => void;
  visitor: (n: TS.Node) => TS.VisitResult<TS.Node | undefined>;
  isSyncGenerator: (n: TS.Node) => n is Fn;
  depth: { get: () => number; set: (d: number) => void };
}

/**
 * Returns the per-node hook: the lowered ramp for a promise-type coroutine, the unchanged node
 * (with a diagnostic) for one that cannot be lowered, or undefined for a plain generator.
 */
export function createPromiseCoroutineLowering(env: CoroutineLoweringEnv): (node: Fn) => TS.VisitResult<TS.Node> | undefined {
  const { ts, sf, names, runtime } = env;
  const f = ts.factory;
  const runtimeModule = env.options.runtimeModule ?? 'corosplit/runtime';
  const imported = new Map<string, string>();

  const report = (node: TS.Node, message: string): void => {
    const n = node.pos >= 0 ? node : undefined;
    const start = n ? n.getStart(sf) : 0;
    env.diagnostics.push({ file: sf.fileName, start, length: Math.max(1, n ? n.getEnd() - start : 1), message, category: 'error' });
  };

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

  return (node) => {
    const display = displayName(ts, node);
    const orig = ts.getOriginalNode(node) as Fn;
    // A function declaration nested in a lowered body is re-created as a synthesized function
    // expression; its return type node is still the original one.
    if (!orig.type || orig.type.pos < 0) return undefined;
    const checker = env.options.checker ?? env.options.program?.getTypeChecker();
    const oracle = env.options.typeOracle;
    let answer: PromiseTypeAnswer;
    if (checker) answer = checkerPromiseTypeFacts(ts, checker, orig.type, sf);
    else if (oracle && !plainlyNotPromiseType(ts, orig.type, sf)) {
      const source = ts.getOriginalNode(sf) as TS.SourceFile;
      answer = oracle.promiseTypeAt(source.fileName, source.text, orig.type.getStart(source), orig.type.end);
    } else {
      const name = syntacticPromiseTypeName(ts, orig, ts.getOriginalNode(sf) as TS.SourceFile, runtimeModule);
      if (!name) return undefined;
      report(
        orig.type,
        `'${display}' returns ${name}<…>, a promise-type coroutine, which corosplit can only recognise with the type checker: lower the file with 'corosplit build', transformProgram(), a bundler plugin given a tsconfig, or the ts-patch plugin (in generator '${display}')`,
      );
      return ts.visitEachChild(node, env.visitor, undefined);
    }
    const detected = decidePromiseType(answer, (ts.getOriginalNode(sf) as TS.SourceFile).fileName, display);
    if (!detected) return undefined;
    if (!detected.ok) {
      report(orig.type, detected.message);
      return ts.visitEachChild(node, env.visitor, undefined);
    }
    if (node.pos < 0) {
      report(node.type!, `'${display}' is a promise-type coroutine declared with a function declaration inside a lowered coroutine or generator body, which corosplit cannot lower yet: declare it as \`const ${display} = function* …\` (in promise-type coroutine '${display}')`);
      return node;
    }
    try {
      if (env.options.runtime === 'inline') throw new LoweringError(node, `promise-type coroutines with runtime: 'inline' (they need the runtime module; use runtime: 'import')`);
      checkYieldValue(node, detected.className, detected.members);
      return lower(node, display, detected.ref, detected.members);
    } catch (e) {
      if (e instanceof LoweringError) {
        const at = e.node.pos >= 0 && !ts.isSourceFile(e.node) ? e.node : node;
        report(at, `${e.message} (in promise-type coroutine '${display}')`);
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

  function lower(node: Fn, display: string, ref: PromiseClassRef, members: Set<string>): TS.VisitResult<TS.Node> {
    const body = node.body!;
    const sup = findSuper(ts, body);
    if (sup) throw new LoweringError(sup, '`super` inside a promise-type coroutine method');
    const usesPrivate = containsPrivateName(ts, body);
    if (usesPrivate && env.classSetups.length === 0) throw new LoweringError(node, 'private names (#x) inside a promise-type coroutine outside a class body');
    checkPatternParameterDefaults(ts, node);
    const built = new CoroutineBuilder(ts, sf, node, display, 'coroutine').build();
    const ir = built.ir;
    renameReserved(ir, built.freeNames);
    const liveness = computeLiveness(ir);
    const layout = layoutFrame(ir, liveness);
    const base = baseName(display);
    const frameClass = names.fresh(`${base}$Frame`);
    const resumeNames = layout.segments.map((s) => names.fresh(`${base}$resume${s.index}`));
    const needsEnclosingScope = refersToEnclosingScope(ts, node, built.freeNames);
    if (usesPrivate && needsEnclosingScope && !ts.isClassLike(ts.getOriginalNode(node).parent)) {
      throw new LoweringError(node, 'private names (#x) inside a promise-type coroutine that also refers to bindings of an enclosing function');
    }
    const depth = env.depth.get();
    const local = needsEnclosingScope && depth > 0 ? { frame: names.fresh('$f'), mode: names.fresh('$m'), caught: names.fresh('$e'), cond: names.fresh('$c'), value: names.fresh('$v'), locals: names.fresh('$l'), state: names.fresh('$s') } : env.shared;
    let labelCount = 0;
    let runName: string | undefined;
    const labelNames = new Map<string, string>();
    env.depth.set(depth + 1);
    let emitted;
    try {
      emitted = emitPromiseCoroutine({
        ts,
        ir,
        layout,
        liveness,
        refs: built.refs,
        helperRefs: built.helperRefs,
        tdzRefs: built.tdzRefs,
        sourceFile: sf,
        awaitTransform: members.has('awaitTransform'),
        afterInlineAwait: members.has('afterInlineAwait'),
        shape: env.options.shape ?? 'auto',
        runtime,
        isNestedLowerable: (n) => env.isSyncGenerator(n) || (ts.isClassLike(n) && n.members.some(env.isSyncGenerator)) || (ts.isObjectLiteralExpression(n) && n.properties.some(env.isSyncGenerator)),
        lowerNested: (n) => env.visitor(n) as TS.Node,
        pushCollector: () => env.collectors.push({ top: [] }),
        popCollector: () => env.collectors.pop()!.top,
        names: {
          frameClass,
          resume: (i) => resumeNames[i],
          frame: local.frame,
          locals: local.locals,
          mode: local.mode,
          caught: local.caught,
          cond: local.cond,
          next: local.value,
          state: local.state,
          run: () => (runName ??= names.fresh(`${base}$run`)),
          label: (n, kind) => {
            const key = `${kind}${n}`;
            if (!labelNames.has(key)) labelNames.set(key, names.fresh(kind === 'loop' ? `loop${labelCount++}` : `b${n}`));
            return labelNames.get(key)!;
          },
        },
      });
    } finally {
      env.depth.set(depth);
    }
    env.options.onCoroutine?.({ ir, liveness, layout, frameClass, resumeNames, sourceFile: sf });
    env.moduleLevel.push(emitted.frameClass);
    if (usesPrivate) {
      // Resume functions that use private names must be inside the class body: they are assigned
      // in the class's static block (as for generator methods) to variables declared beside it.
      for (const fn of emitted.resumeFunctions) {
        env.hoistLet(fn.name!.text);
        env.classSetups[env.classSetups.length - 1].statements.unshift(
          f.createExpressionStatement(f.createAssignment(f.createIdentifier(fn.name!.text), f.createFunctionExpression(undefined, undefined, fn.name, undefined, fn.parameters, undefined, fn.body!))),
        );
      }
    } else if (needsEnclosingScope && env.collectors.length > 1) env.collectors[env.collectors.length - 1].top.push(...emitted.resumeFunctions);
    else env.moduleLevel.push(...emitted.resumeFunctions);

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
    const first = node.parameters[0];
    const usesAllocator = !!first && !!first.type && isAllocatorArgType(ts, first.type) && node.parameters.length >= 2;
    const allocExpr = usesAllocator ? f.createIdentifier(argNames[1]) : f.createVoidZero();
    const stmts: TS.Statement[] = [...destructure];
    stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(fr, undefined, undefined, f.createCallExpression(runtime('coAllocate'), undefined, [f.createIdentifier(frameClass), P(), allocExpr]))], ts.NodeFlags.Const)));
    stmts.push(f.createIfStatement(f.createStrictEquality(frId(), f.createNull()), f.createReturnStatement(f.createCallExpression(runtime('coAllocationFailed'), undefined, [P(), f.createIdentifier(frameClass)]))));
    for (const v of layout.rampFields) {
      const k = ir.vars[v].kind;
      const value = k === 'this' ? f.createThis() : k === 'arguments' ? f.createIdentifier('arguments') : f.createIdentifier(ir.vars[v].original);
      stmts.push(f.createExpressionStatement(f.createAssignment(f.createPropertyAccessExpression(f.createPropertyAccessExpression(frId(), '$l'), ir.vars[v].name), value)));
    }
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

/** `AllocatorArg`, `typeof allocatorArg` (optionally qualified by a namespace import). */
function isAllocatorArgType(ts: typeof TS, t: TS.TypeNode): boolean {
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
