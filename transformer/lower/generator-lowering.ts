// Generators (and async functions, lowered only for build-time evaluation) as coroutines of the
// generator ABI: the pipeline build → liveness → layout → emit/generator.ts, then the ramp that
// replaces the function (a method named by its key, so it is no constructor and has no own
// `arguments`/`caller`) and the reflective setup that makes it a generator function. Naming,
// placement and failure reporting are the file's (file-lowering.ts).
import type * as TS from 'typescript';
import { CoroutineBuilder } from './build.js';
import { emitGenerator } from './emit/generator.js';
import { LoweringError } from './errors.js';
import { evalBodyVerdict } from './analysis/eval-body.js';
import { SyntaxFacts } from './syntax.js';
import type { CoroutineIR, VarId } from './ir.js';
import { baseName, containsPrivateName, displayName, findDirectEval, inferredName, isFunctionBodyList, leftoverSuspension, refersToEnclosingScope } from './function-facts.js';
import { methodKeyFate, needsStandIn } from './method-keys.js';
import type { LoweringFile } from './lowering-file.js';

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

export class GeneratorLowering {
  constructor(private readonly fl: LoweringFile) {}

  lowerGenerator(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration): TS.VisitResult<TS.Node | undefined> {
    const display = displayName(this.fl.ts, node);
    return this.fl.guarded(node, `generator '${display}'`, () => this.lowerGeneratorUnsafe(node, display));
  }

  lowerAsync(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration | TS.ArrowFunction): TS.VisitResult<TS.Node | undefined> {
    const display = displayName(this.fl.ts, node);
    return this.fl.guarded(node, `${(node as TS.FunctionDeclaration).asteriskToken ? ASYNC_GENERATOR : ASYNC_FUNCTION} '${display}'`, () => this.lowerAsyncUnsafe(node, display));
  }

  /**
   * IR, liveness, frame layout, emission, and placement of the frame constructor and step
   * functions. Returns what a ramp needs.
   */
  /** `replaceable`: a method whose property the runtime may replace once it is wired (method-keys.ts). */
  private lowerBody(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration | TS.ArrowFunction, display: string, awaits: boolean, wiredByDefine = false, replaceable = false) {
    const fl = this.fl;
    const { ts, sf, options } = fl;
    // Lowered, variables that closures or suspensions need move into the frame under other names,
    // where code a direct eval runs cannot name them (the fuzzer's --focus eval found a captured
    // `let` read as undefined). So a direct eval is refused before any work is done, unless the
    // body can stay whole (analysis/eval-body.ts).
    const strict = fl.strictCode(node, true);
    const evalBody = evalBodyVerdict(ts, node, findDirectEval(ts, node), new SyntaxFacts(ts, awaits), strict, awaits);
    if (evalBody.kind === 'refused') throw new LoweringError(evalBody.at, evalBody.what, evalBody.hint);
    // A body kept whole is the coroutine `function* ($body) { return $body(); }`: its one frame
    // field is the arrow the ramp makes of the body (see analysis/eval-body.ts).
    const irSource = evalBody.kind === 'native' ? this.nativeBodyCoroutine() : node;
    const built = new CoroutineBuilder(ts, sf, irSource, display, 'generator', awaits, options.optimize ?? 'speed', strict).build();
    let analysed = fl.analyse(built);
    if (options.optimize === 'size' && evalBody.kind !== 'native' && !built.namesWritable) {
      // Lowered for size, a variable that needs a frame field lives there for the whole call, as a
      // captured one does: its code reads and writes `$f.x` in place, with no load into a local
      // at each resume function's start and no store at each suspension (shorter once minified).
      // Not under `with` or a direct eval, which can name a local but not a frame field.
      const vars = built.ir.vars;
      const moved = analysed.layout.fields.filter((v) => !vars[v].captured && !vars[v].boxed);
      if (moved.length) {
        for (const v of moved) vars[v].captured = true;
        analysed = fl.analyse(built);
      }
    }
    const { ir, liveness, layout } = analysed;
    const base = baseName(display);
    // Where the resume functions go: beside the generator when they close over its surroundings.
    const usesPrivate = containsPrivateName(ts, irSource.body!);
    const needsEnclosingScope = usesPrivate || refersToEnclosingScope(ts, irSource, built.freeNames);
    const { names, extra } = fl.coroutineNames(base, layout.segments.length, ['drop', 'next'], needsEnclosingScope, () => new Set(ir.vars.map((v) => v.name)));
    const [dropName, nextName] = extra;
    const emitted = fl.emitting(() =>
      emitGenerator({
        ...analysed,
        runtime: fl.runtime,
        strict,
        strictPrologue: strict && !(needsEnclosingScope ? fl.strictCode(node.parent, false) : fl.strictCode(sf, false)),
        shape: options.shape ?? 'auto',
        optimize: options.optimize ?? 'speed',
        names: { ...names, drop: dropName, next: nextName },
        wiredByDefine,
        startsPastInitial: !awaits,
      }),
    );
    // The last line of "an error, never wrong code": a suspension the passes above did not see
    // would run as a syntax error or, in a nested generator, as the wrong coroutine's yield.
    const stepFunctions = [...emitted.closureMakers, ...emitted.resumeFunctions, ...(emitted.nextFunction ? [emitted.nextFunction] : [])];
    for (const fn of stepFunctions) {
      const left = leftoverSuspension(ts, fn.body!, awaits);
      if (left) throw new LoweringError(ts.getOriginalNode(left).pos >= 0 ? ts.getOriginalNode(left) : node, `${ts.isYieldExpression(left) ? 'a yield' : 'an await'} in this position (an internal check found it left in the output; please report it)`);
    }
    const resumeNames = layout.segments.map((s) => names.resume(s.index));
    options.onCoroutine?.({ ir, liveness, layout, frameClass: names.frameClass, resumeNames, nextName: emitted.nextFunction ? nextName : undefined, sourceFile: sf });
    // Lowered for size, a function whose ramp would only pass its parameters on is made by the
    // runtime: no frame constructor, no ramp (generatorFunction in runtime/generator.ts).
    const madeFields =
      awaits || ts.isArrowFunction(node) || (node.parent && ts.isModuleBlock(node.parent)) || (ts.isMethodDeclaration(node) && !(wiredByDefine && replaceable))
        ? undefined
        : this.runtimeMadeFields(node, ir, layout.rampFields, evalBody.kind === 'native', strict);
    if (!madeFields) fl.moduleLevel.push(emitted.frameClass());
    if (emitted.dropFunction) fl.moduleLevel.push(emitted.dropFunction);
    fl.placeStepFunctions(stepFunctions, emitted.registration, usesPrivate, needsEnclosingScope);
    return { ir, emitted, frameClass: names.frameClass, entryName: emitted.entry, madeFields: madeFields && [...madeFields, ...emitted.startFields], base, evalBody };
  }

  /**
   * An async function as a lowered coroutine: the same frame and resume functions as a generator,
   * each `await x` suspending with x, and a ramp that hands the frame to asyncRun, which awaits
   * what it yields and settles the promise it returns. The ramp stays the same kind of function
   * (declaration, expression, method or arrow, so `this` and `arguments` mean what they meant),
   * without `async`.
   */
  private lowerAsyncUnsafe(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration | TS.ArrowFunction, display: string): TS.Node {
    const fl = this.fl;
    const { ts, f, runtime, visitor } = fl;
    const { ir, emitted } = this.lowerBody(node, display, true);
    const superAccessor = ts.isMethodDeclaration(node) ? this.superAccessorArrow() : undefined;
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
  }

  private lowerGeneratorUnsafe(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration, display: string): TS.VisitResult<TS.Node | undefined> {
    const fl = this.fl;
    const { ts, f, names, options, runtime, visitor } = fl;
    const fate = ts.isMethodDeclaration(node) ? methodKeyFate(ts, node, fl.sf) : undefined;
    const { ir, emitted, frameClass, entryName, madeFields, base, evalBody } = this.lowerBody(node, display, false, this.wiredByDefine(node), fate === 'last');
    const runtimeMade = (key: string): TS.Expression => f.createCallExpression(runtime('generatorFunction'), undefined, [f.createIdentifier(entryName), f.createStringLiteral(key), ...madeFields!]);

    // The ramp: native parameter binding, then one allocation. It is a method, as a generator
    // function is not a constructor and has no own `arguments`/`caller`.
    const paramExprs = new Map<VarId, TS.Expression>();
    if (evalBody.kind === 'native') paramExprs.set(ir.params[0], this.bodyArrow(node));
    else for (const v of ir.params) paramExprs.set(v, f.createIdentifier(ir.vars[v].original));
    const isMethod = ts.isMethodDeclaration(node);
    const selfName = ts.isFunctionDeclaration(node) ? (node.name?.text ?? names.fresh('$default')) : ts.isFunctionExpression(node) ? names.fresh(`${base}$fn`) : undefined;
    const superAccessor = isMethod ? this.superAccessorArrow() : undefined;
    const frameExpr = emitted.newFrame({ param: (v) => paramExprs.get(v)!, self: selfName ? f.createIdentifier(selfName) : undefined, super: superAccessor });
    // A mapped arguments object aliases the ramp's parameters: the frame's parameter fields become
    // accessors of those (see CoroutineIR.mappedParameters).
    const newFrame = ir.mappedParameters ? f.createCallExpression(runtime('aliasParameters'), undefined, [frameExpr, this.parameterAccessors(ir)]) : frameExpr;
    const params = node.parameters.map((p) => ts.visitNode(p, visitor) as TS.ParameterDeclaration);
    const directives = (ts.isBlock(node.body!) ? node.body.statements : []).filter((st, i, all) => all.slice(0, i + 1).every((x) => ts.isExpressionStatement(x) && ts.isStringLiteral(x.expression)));
    const rampBody = (selfRef?: TS.Expression): TS.Block => {
      const stmts: TS.Statement[] = directives.map((d) => f.createExpressionStatement(f.createStringLiteral(((d as TS.ExpressionStatement).expression as TS.StringLiteral).text)));
      // A body kept whole sees a strict named expression's own name as an immutable binding.
      if (evalBody.kind === 'native' && evalBody.ownName && selfRef) {
        stmts.push(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(evalBody.ownName, undefined, undefined, selfRef)], ts.NodeFlags.Const)));
      }
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
        fl.atTop(f.createExpressionStatement(define(f.createIdentifier(selfName!))));
        return ramp;
      }
      // Initialised at the top of its scope, as a function declaration is. Exports are named by a
      // specifier, so CommonJS output keeps a local binding the file's own code can call.
      const atTop = fl.atFileLevel;
      // The ramp reads `.prototype` off the function object through a binding of its own: the
      // declared name is the user's variable, which may be reassigned (`f = null`) while the
      // function lives on elsewhere.
      const fnRef = names.fresh(`${base}$g`);
      const decl = f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList(
          [
            f.createVariableDeclaration(fnRef, undefined, undefined, madeFields ? runtimeMade(node.name?.text ?? 'default') : define(rampFunction(node.name?.text ?? 'default', fnRef))),
            f.createVariableDeclaration(selfName!, undefined, undefined, f.createIdentifier(fnRef)),
          ],
          atTop || isFunctionBodyList(ts, node.parent) ? ts.NodeFlags.None : ts.NodeFlags.Let,
        ),
      );
      ts.setSourceMapRange(decl, node);
      if (atTop) fl.moduleLevel.push(decl);
      else fl.atTop(decl);
      if (exported) return f.createExportDeclaration(undefined, false, f.createNamedExports([f.createExportSpecifier(false, isDefault ? f.createIdentifier(selfName!) : undefined, isDefault ? 'default' : selfName!)]));
      return undefined;
    }
    if (ts.isFunctionExpression(node)) {
      fl.hoistLet(selfName!);
      const key = node.name?.text ?? inferredName(ts, node) ?? '';
      return f.createParenthesizedExpression(f.createAssignment(f.createIdentifier(selfName!), madeFields ? runtimeMade(key) : define(rampFunction(key))));
    }
    // Methods.
    const key = ts.isPrivateIdentifier(node.name) ? undefined : fl.memberKey(node.name);
    // A method the runtime makes leaves an empty stand-in, which keeps the key's place among the
    // home's properties and its attributes; the define call replaces it (defineGeneratorMethod).
    // Where no later member could order after it, the call defines it instead.
    const method = !madeFields
      ? f.updateMethodDeclaration(node, mods, undefined, key ? key.name : node.name, node.questionToken, node.typeParameters, params, node.type, rampBody())
      : needsStandIn(ts, node) ? f.updateMethodDeclaration(node, mods, undefined, key!.name, node.questionToken, undefined, [], undefined, f.createBlock([])) : undefined;
    // (a method a later member replaces is unreachable: wiring would find that member instead)
    if (key && fate !== 'overridden') {
      const wiring = madeFields ? f.createArrayLiteralExpression([f.createIdentifier(entryName), ...madeFields]) : f.createIdentifier(frameClass);
      const container = fl.memberContext[fl.memberContext.length - 1];
      if (container === 'class' && fl.classSetups.length) {
        const isStatic = !!(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static);
        const setup = fl.classSetups[fl.classSetups.length - 1];
        (isStatic ? setup.staticMethods : setup.prototypeMethods).push(key.key, wiring);
      } else if (container === 'object' && fl.objectSetups.length) {
        fl.objectSetups[fl.objectSetups.length - 1].push(key.key, wiring);
      }
    }
    return method;
  }

  /**
   * Lowered for size: when the ramp of a generator function would do nothing but hand its
   * parameters to the frame, the frame field each parameter fills (0: none), for
   * generatorFunction. Undefined when the ramp does more: a parameter that is a pattern, has a
   * default or is a rest (the ramp binds those natively), a field for `arguments`, the function's
   * own name or `super`, mapped parameters, or a body kept whole. A method's list starts with the
   * field of its receiver (0: none), and `this` in a function that is not a method needs a ramp.
   */
  private runtimeMadeFields(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration, ir: CoroutineIR, rampFields: readonly VarId[], nativeBody: boolean, strict: boolean): TS.Expression[] | undefined {
    const { ts, f, options } = this.fl;
    if (options.optimize !== 'size' || nativeBody || ir.mappedParameters) return undefined;
    if (!node.parameters.every((p) => ts.isIdentifier(p.name) && p.name.text !== 'this' && !p.initializer && !p.dotDotDotToken)) return undefined;
    // A method's receiver is the one more value its ramp may pass on, but only as strict code
    // receives it: the runtime's method cannot box a sloppy method's primitive `this`.
    const self = ts.isMethodDeclaration(node) ? rampFields.find((v) => ir.vars[v].kind === 'this') : undefined;
    if (self !== undefined && !strict) return undefined;
    if (ir.params.length !== node.parameters.length || rampFields.some((v) => v !== self && ir.vars[v].kind !== 'param')) return undefined;
    const field = (v: VarId | undefined): TS.Expression => (v !== undefined && rampFields.includes(v) ? f.createStringLiteral(ir.vars[v].name) : f.createNumericLiteral(0));
    return [...(ts.isMethodDeclaration(node) ? [field(self)] : []), ...ir.params.map(field)];
  }

  /**
   * Whether the ramp below ends in a define call for this generator (defineGenerator, or the
   * method forms, which need a key and a class or object literal that takes setup statements):
   * the same conditions, asked before anything is emitted.
   */
  private wiredByDefine(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration): boolean {
    const fl = this.fl;
    if (!fl.ts.isMethodDeclaration(node)) return true;
    if (fl.ts.isPrivateIdentifier(node.name)) return false;
    const container = fl.memberContext[fl.memberContext.length - 1];
    return (container === 'class' && fl.classSetups.length > 0) || (container === 'object' && fl.objectSetups.length > 0);
  }

  /** The coroutine of a body kept whole: `function* ($body) { return $body(); }`. */
  private nativeBodyCoroutine(): TS.FunctionExpression {
    const f = this.fl.f;
    const body = f.createUniqueName('$body');
    return f.createFunctionExpression(undefined, f.createToken(this.fl.ts.SyntaxKind.AsteriskToken), undefined, undefined, [f.createParameterDeclaration(undefined, undefined, body)], undefined,
      f.createBlock([f.createReturnStatement(f.createCallExpression(body, undefined, []))], true));
  }

  /** The body kept whole as an arrow: in the ramp, after its parameters, it sees them and `this`, `arguments`, `super` as the generator would. */
  private bodyArrow(node: TS.FunctionDeclaration | TS.FunctionExpression | TS.MethodDeclaration): TS.ArrowFunction {
    const { ts, f, visitor } = this.fl;
    // (visited as a block, so what a nested coroutine places beside itself lands in it)
    const block = ts.visitNode(node.body!, visitor) as TS.Block;
    return f.createArrowFunction(undefined, undefined, [], undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), block);
  }

  /** `{ get p() { return p; }, set p(v) { p = v; }, … }` over the ramp's own parameters, keyed by frame field. */
  private parameterAccessors(ir: CoroutineIR): TS.ObjectLiteralExpression {
    const { f, names } = this.fl;
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
  }

  /** `super` for a method's frame: one closure gives get (0), set (1) and call (2) with the method's home object and receiver. */
  private superAccessorArrow(): TS.ArrowFunction {
    const f = this.fl.f;
    return f.createArrowFunction(undefined, undefined, ['op', 'k', 'v'].map((p) => f.createParameterDeclaration(undefined, undefined, p)), undefined, undefined,
      f.createConditionalExpression(
        f.createStrictEquality(f.createIdentifier('op'), f.createNumericLiteral(0)), undefined,
        f.createElementAccessExpression(f.createSuper(), f.createIdentifier('k')), undefined,
        f.createConditionalExpression(
          f.createStrictEquality(f.createIdentifier('op'), f.createNumericLiteral(1)), undefined,
          f.createParenthesizedExpression(f.createAssignment(f.createElementAccessExpression(f.createSuper(), f.createIdentifier('k')), f.createIdentifier('v'))), undefined,
          f.createCallExpression(f.createElementAccessExpression(f.createSuper(), f.createIdentifier('k')), undefined, [f.createSpreadElement(f.createIdentifier('v'))]),
        ),
      ));
  }
}
