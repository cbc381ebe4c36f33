// The TypeScript transformer that lowers every sync generator of a file through the pipeline
// build → liveness → layout → emit, and places what it produces:
//   - frame classes at the top of the module (they capture nothing);
//   - resume functions at module level when the body only refers to module-level or global names,
//     otherwise at the top of the statement list that encloses the generator, so they close over
//     the same bindings; inside a class when the body uses private names;
//   - the ramp where the generator was, keeping its parameter list so binding happens at call time.
import type * as TS from 'typescript';
import { CoroutineBuilder } from './build.js';
import { emitGenerator, type RuntimeHelper } from './emit/generator.js';
import { LoweringError } from './errors.js';
import type { CoroutineIR, VarId } from './ir.js';
import { layoutFrame } from './layout.js';
import { computeLiveness } from './liveness.js';
import { collectIdentifierNames, NameAllocator } from './syntax.js';
import { createPromiseCoroutineLowering } from './coroutine-lower.js';
import { baseName, containsPrivateName, displayName, findDirectEval, inferredName, isFunctionBodyList, isStrictCode, leftoverSuspension, refersToEnclosingScope } from './function-facts.js';
import type { LoweringDiagnostic, LoweringOptions } from './options.js';
export type { LoweredCoroutine, LoweringDiagnostic, LoweringOptions } from './options.js';

export interface FileLoweringState {
  /** runtime helpers the file's output refers to, by their local names */
  helpers: Map<RuntimeHelper, string>;
  /** frame classes and module-level resume functions, to go after the file's imports */
  moduleLevel: TS.Statement[];
}

interface Collector {
  /** statements to put at the top of this statement list */
  top: TS.Statement[];
}

export function lowerSourceFile(
  ts: typeof TS,
  sf: TS.SourceFile,
  ctx: TS.TransformationContext,
  diagnostics: LoweringDiagnostic[],
  options: LoweringOptions = {},
): { file: TS.SourceFile; state: FileLoweringState } {
  const f = ts.factory;
  // A script emitted under alwaysStrict (TypeScript 6's default) starts with "use strict": all of
  // it is strict code, whatever its own directives say.
  const co = ctx.getCompilerOptions();
  // (TypeScript 6 emits it unless alwaysStrict is false, strict: false or not; 5 follows strict.)
  const alwaysStrict = Number(ts.versionMajorMinor.split('.')[0]) >= 6 ? co.alwaysStrict !== false : !!(co.alwaysStrict ?? co.strict);
  const strictCode = (n: TS.Node, own: boolean): boolean => alwaysStrict || isStrictCode(ts, sf, n, own);
  const taken = collectIdentifierNames(ts, sf);
  const names = new NameAllocator(taken);
  const helpers = new Map<RuntimeHelper, string>();
  const moduleLevel: TS.Statement[] = [];
  const collectors: Collector[] = [];
  let depth = 0;
  // The resume functions' parameter and scratch names: one set for the file, and a fresh set for
  // step functions that must live inside an enclosing function.
  // `avoid`: the names of the coroutine's own IR variables ($e2, $exc0, ...), numbered per
  // coroutine and so unknown to the file's allocator: a nested coroutine's catch parameter named
  // $e2 beside its exception temporary $e2 lost the exception.
  const freshLocals = (avoid?: ReadonlySet<string>) => ({
    frame: names.fresh('$f', avoid),
    value: names.fresh('$v', avoid),
    mode: names.fresh('$m', avoid),
    caught: names.fresh('$e', avoid),
    cond: names.fresh('$c', avoid),
    passThrough: names.fresh('$pass', avoid),
    state: names.fresh('$s', avoid),
    locals: names.fresh('$l', avoid),
  });
  const shared = freshLocals();

  const runtime = (name: RuntimeHelper): TS.Identifier => {
    let local = helpers.get(name);
    if (!local) {
      local = names.fresh(name);
      helpers.set(name, local);
    }
    return f.createIdentifier(local);
  };

  const isSyncGenerator = (n: TS.Node): n is TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration =>
    (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) &&
    !!n.asteriskToken &&
    !!n.body &&
    !(ts.getCombinedModifierFlags(n as TS.Declaration) & ts.ModifierFlags.Async);

  const visitStatementList = (stmts: TS.NodeArray<TS.Statement>): TS.Statement[] => {
    const c: Collector = { top: [] };
    collectors.push(c);
    const out: TS.Statement[] = [];
    for (const s of stmts) {
      const r = ts.visitNode(s, visitor);
      if (r) out.push(...(Array.isArray(r) ? r : [r as TS.Statement]));
    }
    collectors.pop();
    // Directives ("use strict") must stay first.
    let i = 0;
    while (i < out.length && ts.isExpressionStatement(out[i]) && ts.isStringLiteral((out[i] as TS.ExpressionStatement).expression) && stmts[i] && ts.isExpressionStatement(stmts[i])) i++;
    return [...out.slice(0, i), ...c.top, ...out.slice(i)];
  };

  const isAsyncFunction = (n: TS.Node): n is TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration | TS.ArrowFunction =>
    (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n)) &&
    !!n.body &&
    !!(ts.getCombinedModifierFlags(n as TS.Declaration) & ts.ModifierFlags.Async);

  const visitor = (node: TS.Node): TS.VisitResult<TS.Node | undefined> => {
    if (isSyncGenerator(node)) return promiseCoroutines(node) ?? lowerGenerator(node);
    if (options.lowerAsync && isAsyncFunction(node)) return lowerAsync(node);
    if (ts.isBlock(node)) return f.updateBlock(node, visitStatementList(node.statements));
    if (ts.isModuleBlock(node)) return f.updateModuleBlock(node, visitStatementList(node.statements));
    if (ts.isCaseClause(node)) return f.updateCaseClause(node, ts.visitNode(node.expression, visitor) as TS.Expression, visitStatementList(node.statements));
    if (ts.isDefaultClause(node)) return f.updateDefaultClause(node, visitStatementList(node.statements));
    if (ts.isClassLike(node)) return visitClass(node);
    if (ts.isObjectLiteralExpression(node) && node.properties.some((p) => isSyncGenerator(p))) return visitObjectLiteral(node);
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      collectors.push({ top: [] });
      const body = ts.visitNode(node.body, visitor) as TS.Expression;
      const hoisted = collectors.pop()!.top;
      const params = node.parameters.map((p) => ts.visitNode(p, visitor) as TS.ParameterDeclaration);
      return f.updateArrowFunction(node, node.modifiers, node.typeParameters, params, node.type, node.equalsGreaterThanToken, hoisted.length ? f.createBlock([...hoisted, f.createReturnStatement(body)], true) : body);
    }
    return ts.visitEachChild(node, visitor, ctx);
  };

  // Classes: generator methods get their reflective setup in a static block, which runs once
  // the class exists. Computed keys are captured on first evaluation so they are not re-evaluated.
  const classSetups: { statements: TS.Statement[] }[] = [];
  // What the members being visited belong to (parents of synthesized nodes are not set).
  const memberContext: ('class' | 'object')[] = [];
  const visitClass = (node: TS.ClassDeclaration | TS.ClassExpression): TS.Node => {
    const setup = { statements: [] as TS.Statement[] };
    classSetups.push(setup);
    memberContext.push('class');
    const members = node.members.map((m) => ts.visitNode(m, visitor) as TS.ClassElement);
    memberContext.pop();
    classSetups.pop();
    if (setup.statements.length) members.push(f.createClassStaticBlockDeclaration(f.createBlock(setup.statements, true)));
    const heritage = node.heritageClauses?.map((h) => ts.visitNode(h, visitor) as TS.HeritageClause);
    const mods = node.modifiers?.map((m) => ts.visitNode(m, visitor) as TS.ModifierLike);
    if (ts.isClassDeclaration(node)) return f.updateClassDeclaration(node, mods, node.name, node.typeParameters, heritage, members);
    return f.updateClassExpression(node, mods, node.name, node.typeParameters, heritage, members);
  };

  const objectSetups: TS.Expression[][] = [];
  const visitObjectLiteral = (node: TS.ObjectLiteralExpression): TS.Node => {
    const setup: TS.Expression[] = [];
    objectSetups.push(setup);
    memberContext.push('object');
    const props = node.properties.map((p) => ts.visitNode(p, visitor) as TS.ObjectLiteralElementLike);
    memberContext.pop();
    objectSetups.pop();
    const lit = f.updateObjectLiteralExpression(node, props);
    if (!setup.length) return lit;
    return f.createCallExpression(runtime('defineGeneratorMethods' as RuntimeHelper), undefined, [lit, ...setup]);
  };

  const hoistLet = (name: string): void => {
    const c = collectors[collectors.length - 1];
    c.top.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name)], ts.NodeFlags.Let)));
  };

  /** A static key for a member name, or an expression that evaluates it once. */
  const memberKey = (name: TS.PropertyName): { key: TS.Expression; name: TS.PropertyName; display: string } | undefined => {
    if (ts.isIdentifier(name)) return { key: f.createStringLiteral(name.text), name, display: name.text };
    if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return { key: f.createStringLiteral(name.text), name, display: name.text };
    if (ts.isNumericLiteral(name)) return { key: f.createStringLiteral(String(Number(name.text))), name, display: String(Number(name.text)) };
    if (ts.isBigIntLiteral(name)) return { key: f.createStringLiteral(BigInt(name.text.slice(0, -1)).toString()), name, display: name.text };
    if (ts.isComputedPropertyName(name)) {
      const tmp = names.fresh('$key');
      hoistLet(tmp);
      const expr = ts.visitNode(name.expression, visitor) as TS.Expression;
      return { key: f.createIdentifier(tmp), name: f.createComputedPropertyName(f.createAssignment(f.createIdentifier(tmp), expr)), display: '' };
    }
    return undefined;
  };

  /**
   * A coroutine that cannot be lowered: a diagnostic at the construct (a LoweringError's node) or
   * at the function, and the function left as it was (the file then has no output). Structuring
   * follows the dominator tree recursively, so a body that is one very long chain of statements
   * branching around suspension points (hundreds of them) can exhaust the host stack: a property
   * of the input, reported as such. Anything else is a bug of ours and propagates.
   */
  const failed = (e: unknown, node: TS.Node, what: string): TS.Node => {
    let at: TS.Node;
    let message: string;
    if (e instanceof LoweringError) {
      at = e.node.pos >= 0 ? e.node : node;
      message = `${e.message} (in ${what})`;
    } else if (isStackExhaustion(e)) {
      at = node;
      message = `corosplit cannot lower ${what}: its control flow is too long for the structuring pass (it exhausted the stack); split it into smaller functions, or run the build with a larger stack (node --stack-size=N)`;
    } else throw e;
    const start = at.getStart(sf);
    diagnostics.push({ file: sf.fileName, start, length: Math.max(1, at.getEnd() - start), message, category: 'error' });
    return ts.visitEachChild(node, visitor, ctx);
  };

  const lowerGenerator = (node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration): TS.VisitResult<TS.Node | undefined> => {
    const display = displayName(ts, node);
    const openCollectors = collectors.length;
    try {
      return lowerGeneratorUnsafe(node, display);
    } catch (e) {
      // An error part-way through emission can leave nested collectors open.
      collectors.length = openCollectors;
      return failed(e, node, `generator '${display}'`);
    }
  };

  /**
   * The part every lowered coroutine shares: IR, liveness, frame layout, emission, and placement of
   * the frame constructor and step functions. Returns what a ramp needs.
   */
  const lowerBody = (node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration | TS.ArrowFunction, display: string, awaits: boolean) => {
    // Lowered, parameters stay in the ramp and variables that closures or suspensions need move into
    // the frame under other names: code that names them at run time cannot see them, even in a
    // body that never suspends (the fuzzer's --focus eval found a captured `let` read as
    // undefined), nor can an eval in a parameter initialiser declare into the body's scope. So
    // every direct eval in a generator, parameters included, is refused before any work is done.
    const evalCall = findDirectEval(ts, node);
    if (evalCall) {
      throw new LoweringError(evalCall, 'a direct eval() in a generator', "the evaluated code would see the state machine's variables, not the ones you wrote; use an indirect eval, (0, eval)(…), or move the eval out of the generator");
    }
    const builder = new CoroutineBuilder(ts, sf, node, display, 'generator', awaits, options.optimize ?? 'speed', strictCode(node, true));
    const built = builder.build();
    const ir = built.ir;
    const liveness = computeLiveness(ir);
    const layout = layoutFrame(ir, liveness);
    const base = baseName(display);
    const frameClass = names.fresh(`${base}$Frame`);
    const resumeNames = layout.segments.map((s) => names.fresh(`${base}$resume${s.index}`));
    const dropName = names.fresh(`${base}$drop`);
    let runName: string | undefined;
    const nextName = names.fresh(`${base}$next`);
    // Where the resume functions go: beside the generator when they close over its surroundings.
    const usesPrivate = containsPrivateName(ts, node.body!);
    const needsEnclosingScope = usesPrivate || refersToEnclosingScope(ts, node, built.freeNames);
    const local = needsEnclosingScope && depth > 0 ? freshLocals(new Set(ir.vars.map((v) => v.name))) : shared;
    let labelCount = 0;
    const labelNames = new Map<string, string>();
    depth++;
    let emitted;
    try {
      emitted = emitGenerator({
        ts,
        ir,
        layout,
        liveness,
        refs: built.refs,
        helperRefs: built.helperRefs,
        tdzRefs: built.tdzRefs,
        sourceFile: sf,
        runtime,
        strict: strictCode(node, true),
        strictPrologue: strictCode(node, true) && !(needsEnclosingScope ? strictCode(node.parent, false) : strictCode(sf, false)),
        shape: options.shape ?? 'auto',
        optimize: options.optimize ?? 'speed',
        isNestedLowerable: (n) => isSyncGenerator(n) || (!!options.lowerAsync && isAsyncFunction(n)) || (ts.isClassLike(n) && n.members.some(isSyncGenerator)) || (ts.isObjectLiteralExpression(n) && n.properties.some(isSyncGenerator)),
        lowerNested: (n) => visitor(n) as TS.Node,
        pushCollector: () => collectors.push({ top: [] }),
        popCollector: () => collectors.pop()!.top,
        names: {
          frameClass,
          drop: dropName,
          next: nextName,
          resume: (i) => resumeNames[i],
          run: () => (runName ??= names.fresh(`${base}$run`)),
          ...local,
          label: (n, kind) => {
            const key = `${kind}${n}`;
            if (!labelNames.has(key)) labelNames.set(key, names.fresh(kind === 'loop' ? `loop${labelCount++}` : `b${n}`));
            return labelNames.get(key)!;
          },
        },
      });
    } finally {
      depth--;
    }
    // The last line of "an error, never wrong code": a suspension the passes above did not see
    // would run as a syntax error or, in a nested generator, as the wrong coroutine's yield.
    const stepFunctions = emitted.nextFunction ? [...emitted.resumeFunctions, emitted.nextFunction] : emitted.resumeFunctions;
    for (const fn of stepFunctions) {
      const left = leftoverSuspension(ts, fn.body!, awaits);
      if (left) throw new LoweringError(ts.getOriginalNode(left).pos >= 0 ? ts.getOriginalNode(left) : node, `${ts.isYieldExpression(left) ? 'a yield' : 'an await'} in this position (an internal check found it left in the output; please report it)`);
    }
    options.onCoroutine?.({ ir, liveness, layout, frameClass, resumeNames, nextName: emitted.nextFunction ? nextName : undefined, sourceFile: sf });
    moduleLevel.push(emitted.frameClass);
    if (emitted.dropFunction) moduleLevel.push(emitted.dropFunction);

    if (usesPrivate && classSetups.length) {
      for (const fn of stepFunctions) {
        hoistLet(fn.name!.text);
        classSetups[classSetups.length - 1].statements.unshift(
          f.createExpressionStatement(f.createAssignment(f.createIdentifier(fn.name!.text), f.createFunctionExpression(undefined, undefined, fn.name, undefined, fn.parameters, undefined, fn.body!))),
        );
      }
      // after the assignments above, which went to the front in reverse order
      if (emitted.registration) classSetups[classSetups.length - 1].statements.splice(stepFunctions.length, 0, emitted.registration);
    } else if (needsEnclosingScope && collectors.length > 1) {
      collectors[collectors.length - 1].top.push(...stepFunctions, ...(emitted.registration ? [emitted.registration] : []));
    } else {
      moduleLevel.push(...stepFunctions, ...(emitted.registration ? [emitted.registration] : []));
    }
    return { ir, emitted, frameClass, base };
  };

  /** `{ get p() { return p; }, set p(v) { p = v; }, … }` over the ramp's own parameters, keyed by frame field. */
  const parameterAccessors = (ir: CoroutineIR): TS.ObjectLiteralExpression => {
    const value = names.fresh('$value');
    return f.createObjectLiteralExpression(
      ir.params.flatMap((v) => {
        const { name, original } = ir.vars[v];
        return [
          f.createGetAccessorDeclaration(undefined, name, [], undefined, f.createBlock([f.createReturnStatement(f.createIdentifier(original))])),
          f.createSetAccessorDeclaration(undefined, name, [f.createParameterDeclaration(undefined, undefined, value)], f.createBlock([f.createExpressionStatement(f.createAssignment(f.createIdentifier(original), f.createIdentifier(value)))])),
        ];
      }),
      false,
    );
  };

  /** `super` for a method's frame: one closure gives get (0), set (1) and call (2) with the method's home object and receiver. */
  const superAccessorArrow = (): TS.ArrowFunction =>
    f.createArrowFunction(undefined, undefined, ['op', 'k', 'v'].map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined, undefined,
      f.createConditionalExpression(
        f.createStrictEquality(f.createIdentifier('op'), f.createNumericLiteral(0)), undefined,
        f.createElementAccessExpression(f.createSuper(), f.createIdentifier('k')), undefined,
        f.createConditionalExpression(
          f.createStrictEquality(f.createIdentifier('op'), f.createNumericLiteral(1)), undefined,
          f.createParenthesizedExpression(f.createAssignment(f.createElementAccessExpression(f.createSuper(), f.createIdentifier('k')), f.createIdentifier('v'))), undefined,
          f.createCallExpression(f.createElementAccessExpression(f.createSuper(), f.createIdentifier('k')), undefined, [f.createSpreadElement(f.createIdentifier('v'))]),
        ),
      ));

  const lowerAsync = (node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration | TS.ArrowFunction): TS.VisitResult<TS.Node | undefined> => {
    const display = displayName(ts, node);
    const openCollectors = collectors.length;
    try {
      return lowerAsyncUnsafe(node, display);
    } catch (e) {
      collectors.length = openCollectors;
      return failed(e, node, `${(node as TS.FunctionDeclaration).asteriskToken ? ASYNC_GENERATOR : ASYNC_FUNCTION} '${display}'`);
    }
  };

  /**
   * An async function as a lowered coroutine: the same frame and resume functions as a generator,
   * each `await x` suspending with x, and a ramp that hands the frame to asyncRun, which awaits
   * what it yields and settles the promise it returns. The ramp stays the same kind of function
   * (declaration, expression, method or arrow, so `this` and `arguments` mean what they meant),
   * without `async`.
   */
  const lowerAsyncUnsafe = (node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration | TS.ArrowFunction, display: string): TS.Node => {
    const { ir, emitted } = lowerBody(node, display, true);
    const superAccessor = ts.isMethodDeclaration(node) ? superAccessorArrow() : undefined;
    const ownName = (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name ? node.name.text : undefined;
    const paramExprs = new Map<VarId, TS.Expression>();
    for (const v of ir.params) paramExprs.set(v, f.createIdentifier(ir.vars[v].original));
    const start = f.createCallExpression(runtime((node as TS.FunctionDeclaration).asteriskToken ? 'asyncGeneratorStart' : 'asyncRun'), undefined, [
      emitted.newFrame({ param: (v) => paramExprs.get(v)!, self: ownName ? f.createIdentifier(ownName) : undefined, super: superAccessor }),
    ]);
    ts.setSourceMapRange(start, node.body!);
    const params = node.parameters.map((p) => ts.visitNode(p, visitor) as TS.ParameterDeclaration);
    const mods = node.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword) as TS.ModifierLike[] | undefined;
    const body = f.createBlock([f.createReturnStatement(start)], true);
    if (ts.isArrowFunction(node)) return f.updateArrowFunction(node, mods as TS.Modifier[] | undefined, node.typeParameters, params, node.type, node.equalsGreaterThanToken, start);
    if (ts.isFunctionDeclaration(node)) return f.updateFunctionDeclaration(node, mods, undefined, node.name, node.typeParameters, params, node.type, body);
    if (ts.isFunctionExpression(node)) return f.updateFunctionExpression(node, mods as TS.Modifier[] | undefined, undefined, node.name, node.typeParameters, params, node.type, body);
    return f.updateMethodDeclaration(node, mods, undefined, ts.visitNode(node.name, visitor) as TS.PropertyName, node.questionToken, node.typeParameters, params, node.type, body);
  };

  const lowerGeneratorUnsafe = (node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration, display: string): TS.VisitResult<TS.Node | undefined> => {
    const { ir, emitted, frameClass, base } = lowerBody(node, display, false);

    // The ramp: native parameter binding, then one allocation. It is a method, as a generator
    // function is not a constructor and has no own `arguments`/`caller`.
    const paramExprs = new Map<VarId, TS.Expression>();
    for (const v of ir.params) paramExprs.set(v, f.createIdentifier(ir.vars[v].original));
    const isMethod = ts.isMethodDeclaration(node);
    const selfName = ts.isFunctionDeclaration(node) ? (node.name?.text ?? names.fresh('$default')) : ts.isFunctionExpression(node) ? names.fresh(`${base}$fn`) : undefined;
    const superAccessor = isMethod ? superAccessorArrow() : undefined;
    const frameExpr = emitted.newFrame({ param: (v) => paramExprs.get(v)!, self: selfName ? f.createIdentifier(selfName) : undefined, super: superAccessor });
    // A mapped arguments object aliases the ramp's parameters: the frame's parameter fields become
    // accessors of those (see CoroutineIR.mappedParameters).
    const newFrame = ir.mappedParameters ? f.createCallExpression(runtime('aliasParameters'), undefined, [frameExpr, parameterAccessors(ir)]) : frameExpr;
    const params = node.parameters.map((p) => ts.visitNode(p, visitor) as TS.ParameterDeclaration);
    const directives = (ts.isBlock(node.body!) ? node.body.statements : []).filter((st, i, all) => all.slice(0, i + 1).every((x) => ts.isExpressionStatement(x) && ts.isStringLiteral(x.expression)));
    const rampBody = (selfRef?: TS.Expression): TS.Block => {
      const stmts: TS.Statement[] = directives.map((d) => f.createExpressionStatement(f.createStringLiteral(((d as TS.ExpressionStatement).expression as TS.StringLiteral).text)));
      if (selfRef && options.optimize === 'size') {
        // (the same test as below, in the runtime)
        stmts.push(f.createReturnStatement(f.createCallExpression(runtime('generatorInstance'), undefined, [selfRef, newFrame])));
      } else if (selfRef) {
        // Instances follow a replaced `fn.prototype`, as OrdinaryCreateFromConstructor does.
        const fr = names.fresh('$frame');
        stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(fr, undefined, undefined, newFrame)], ts.NodeFlags.Const)));
        const proto = f.createPropertyAccessExpression(selfRef, 'prototype');
        stmts.push(
          f.createReturnStatement(
            f.createConditionalExpression(
              f.createStrictEquality(proto, f.createPropertyAccessExpression(f.createIdentifier(frameClass), 'prototype')),
              undefined,
              f.createIdentifier(fr),
              undefined,
              f.createCallExpression(runtime('adoptPrototype'), undefined, [f.createIdentifier(fr), f.createPropertyAccessExpression(selfRef, 'prototype')]),
            ),
          ),
        );
      } else stmts.push(f.createReturnStatement(newFrame));
      const block = f.createBlock(stmts, true);
      ts.setSourceMapRange(block, node.body!);
      return block;
    };
    const mods = node.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.AsyncKeyword) as TS.ModifierLike[] | undefined;
    /** `{ key(params) { ramp } }.key`: a method, named by its key. */
    const rampFunction = (key: string, selfRef: string = selfName!): TS.Expression => {
      const valid = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
      const method = f.createMethodDeclaration(undefined, undefined, valid ? f.createIdentifier(key) : f.createStringLiteral(key), undefined, node.typeParameters, params, node.type, rampBody(f.createIdentifier(selfRef)));
      const obj = f.createParenthesizedExpression(f.createObjectLiteralExpression([method], false));
      return valid ? f.createPropertyAccessExpression(obj, key) : f.createElementAccessExpression(obj, f.createStringLiteral(key));
    };
    const define = (fn: TS.Expression): TS.Expression => f.createCallExpression(runtime('defineGenerator'), undefined, [fn, f.createIdentifier(frameClass)]);

    if (ts.isFunctionDeclaration(node)) {
      const exported = mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const isDefault = mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (node.parent && ts.isModuleBlock(node.parent)) {
        // Inside a namespace, TypeScript rewrites references to exported members only for
        // declarations it bound itself, so the declaration stays a function (guarded against `new`).
        const guard = f.createIfStatement(
          f.createStrictInequality(f.createMetaProperty(ts.SyntaxKind.NewKeyword, f.createIdentifier('target')), f.createIdentifier('undefined')),
          f.createThrowStatement(f.createNewExpression(f.createIdentifier('TypeError'), undefined, [f.createStringLiteral(`${selfName} is not a constructor`)])),
        );
        const body = rampBody(f.createIdentifier(selfName!));
        const ramp = f.updateFunctionDeclaration(node, mods, undefined, node.name, node.typeParameters, params, node.type, f.updateBlock(body, [guard, ...body.statements]));
        collectors[collectors.length - 1].top.push(f.createExpressionStatement(define(f.createIdentifier(selfName!))));
        return ramp;
      }
      // Initialised at the top of its scope, as a function declaration is. Exports are named by a
      // specifier, so CommonJS output keeps a local binding the file's own code can call.
      const atTop = collectors.length === 1;
      // The ramp reads `.prototype` off the function object through a binding of its own: the
      // declared name is the user's variable, which may be reassigned (`f = null`) while the
      // function lives on elsewhere.
      const fnRef = names.fresh(`${base}$g`);
      const decl = f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          [f.createVariableDeclaration(fnRef, undefined, undefined, define(rampFunction(node.name?.text ?? 'default', fnRef))), f.createVariableDeclaration(selfName!, undefined, undefined, f.createIdentifier(fnRef))],
          atTop || isFunctionBodyList(ts, node.parent) ? ts.NodeFlags.None : ts.NodeFlags.Let,
        ),
      );
      ts.setSourceMapRange(decl, node);
      if (atTop) moduleLevel.push(decl);
      else collectors[collectors.length - 1].top.push(decl);
      if (exported) return f.createExportDeclaration(undefined, false, f.createNamedExports([f.createExportSpecifier(false, isDefault ? f.createIdentifier(selfName!) : undefined, isDefault ? 'default' : selfName!)]));
      return undefined;
    }
    if (ts.isFunctionExpression(node)) {
      hoistLet(selfName!);
      const key = node.name?.text ?? inferredName(ts, node) ?? '';
      return f.createParenthesizedExpression(f.createAssignment(f.createIdentifier(selfName!), define(rampFunction(key))));
    }
    // Methods.
    const key = ts.isPrivateIdentifier(node.name) ? undefined : memberKey(node.name);
    const method = f.updateMethodDeclaration(node, mods, undefined, key ? key.name : node.name, node.questionToken, node.typeParameters, params, node.type, rampBody());
    if (key) {
      const container = memberContext[memberContext.length - 1];
      if (container === 'class' && classSetups.length) {
        const isStatic = !!(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static);
        const home = isStatic ? f.createThis() : f.createPropertyAccessExpression(f.createThis(), 'prototype');
        classSetups[classSetups.length - 1].statements.push(
          f.createExpressionStatement(f.createCallExpression(runtime('defineGeneratorMethod' as RuntimeHelper), undefined, [home, key.key, f.createIdentifier(frameClass)])),
        );
      } else if (container === 'object' && objectSetups.length) {
        objectSetups[objectSetups.length - 1].push(key.key, f.createIdentifier(frameClass));
      }
    }
    return method;
  };

  // Promise-type coroutines (function* with a [promiseType] return type): coroutine-lower.ts.
  const promiseCoroutines = createPromiseCoroutineLowering({
    ts, sf, diagnostics, options, names, shared, runtime: runtime as any, moduleLevel, collectors, classSetups, hoistLet, visitor, isSyncGenerator,
    depth: { get: () => depth, set: (d) => (depth = d) },
  });

  const top = visitStatementList(sf.statements);
  const file = f.updateSourceFile(sf, top);
  return { file, state: { helpers, moduleLevel } };
}

/** Places module-level declarations after the file's directives and imports. */
export function insertModuleLevel(ts: typeof TS, file: TS.SourceFile, before: TS.Statement[], moduleLevel: TS.Statement[]): TS.SourceFile {
  const stmts = [...file.statements];
  let i = 0;
  while (i < stmts.length && ts.isExpressionStatement(stmts[i]) && ts.isStringLiteral((stmts[i] as TS.ExpressionStatement).expression)) i++;
  while (i < stmts.length && (ts.isImportDeclaration(stmts[i]) || ts.isImportEqualsDeclaration(stmts[i]))) i++;
  return ts.factory.updateSourceFile(file, [...stmts.slice(0, i), ...before, ...moduleLevel, ...stmts.slice(i)]);
}

/** How a diagnostic names an async function or generator (lowered only for build-time evaluation). */
const ASYNC_FUNCTION = 'async function';
const ASYNC_GENERATOR = 'async generator';

/**
 * Is this lowering error about an async function? Those are lowered only for build-time
 * evaluation, so the project's own output never reports them; build-time evaluation must.
 */
export function isAsyncLoweringError(message: string): boolean {
  return [ASYNC_FUNCTION, ASYNC_GENERATOR].some((what) => message.includes(`(in ${what} '`) || message.includes(`cannot lower ${what} '`));
}

/** The host's stack overflow (V8: RangeError "Maximum call stack size exceeded"). */
function isStackExhaustion(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
