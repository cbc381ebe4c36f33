// One file's lowering: the visitor that finds every coroutine of a source file, and what all of
// them share whatever their kind: the file's name allocator and runtime imports, the places
// emitted code goes (module level, the top of an enclosing statement list, a class's static
// block), how a coroutine that cannot be lowered is reported, and the nesting of coroutines inside
// coroutine bodies. The kinds differ only in their ramps: generator-lowering.ts (generators, and
// async functions for build-time evaluation) and coroutine-lower.ts (promise types). Placement:
//   - frame classes at the top of the module (they capture nothing);
//   - resume functions at module level when the body only refers to module-level or global names,
//     otherwise at the top of the statement list that encloses the coroutine, so they close over
//     the same bindings; inside a class when the body uses private names;
//   - the ramp where the coroutine was, keeping its parameter list so binding happens at call time.
import type * as TS from 'typescript';
import type { RuntimeHelper } from './emit/generator.js';
import type { ClassSetup, CoroutineFunction, CoroutineLocals, CoroutineNames, LoweringFile } from './lowering-file.js';
import type { AnalysedCoroutine } from './emit/segment.js';
import type { BuildOutput } from './build/types.js';
import { layoutFrame } from './layout.js';
import { computeLiveness } from './liveness.js';
import { LoweringError } from './errors.js';
import { collectIdentifierNames, NameAllocator } from './syntax.js';
import { createPromiseCoroutineLowering } from './coroutine-lower.js';
import { GeneratorLowering } from './generator-lowering.js';
import { isStrictCode } from './function-facts.js';
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
  return new FileLowering(ts, sf, ctx, diagnostics, options).lower();
}

export class FileLowering implements LoweringFile {
  readonly f: TS.NodeFactory;
  readonly names: NameAllocator;
  readonly helpers = new Map<RuntimeHelper, string>();
  readonly moduleLevel: TS.Statement[] = [];
  private readonly collectors: Collector[] = [];
  /** Classes being visited: generator methods get their reflective setup in a static block, which runs once the class exists. */
  readonly classSetups: ClassSetup[] = [];
  /** Object literals being visited: generator methods are registered by one call around the literal. */
  readonly objectSetups: TS.Expression[][] = [];
  /** What the members being visited belong to (parents of synthesized nodes are not set). */
  readonly memberContext: ('class' | 'object')[] = [];
  /** How many coroutine bodies are being emitted around the node being visited. */
  private depth = 0;
  /** The file's one set of resume-function locals, for functions placed where nothing else is in scope. */
  private readonly shared: CoroutineLocals;
  private readonly alwaysStrict: boolean;
  private readonly generators: GeneratorLowering;
  private readonly promiseCoroutines: (node: CoroutineFunction) => TS.VisitResult<TS.Node> | undefined;

  constructor(
    readonly ts: typeof TS,
    readonly sf: TS.SourceFile,
    readonly ctx: TS.TransformationContext,
    readonly diagnostics: LoweringDiagnostic[],
    readonly options: LoweringOptions,
  ) {
    this.f = ts.factory;
    // A script emitted under alwaysStrict (TypeScript 6's default) starts with "use strict": all of
    // it is strict code, whatever its own directives say.
    // (TypeScript 6 emits it unless alwaysStrict is false, strict: false or not; 5 follows strict.)
    const co = ctx.getCompilerOptions();
    this.alwaysStrict = Number(ts.versionMajorMinor.split('.')[0]) >= 6 ? co.alwaysStrict !== false : !!(co.alwaysStrict ?? co.strict);
    this.names = new NameAllocator(collectIdentifierNames(ts, sf));
    this.shared = this.freshLocals();
    this.generators = new GeneratorLowering(this);
    this.promiseCoroutines = createPromiseCoroutineLowering(this);
  }

  lower(): { file: TS.SourceFile; state: FileLoweringState } {
    const top = this.visitStatementList(this.sf.statements);
    return { file: this.f.updateSourceFile(this.sf, top), state: { helpers: this.helpers, moduleLevel: this.moduleLevel } };
  }

  strictCode(n: TS.Node, own: boolean): boolean {
    return this.alwaysStrict || isStrictCode(this.ts, this.sf, n, own);
  }

  /**
   * `avoid`: the names of the coroutine's own IR variables ($e2, $exc0, ...), numbered per
   * coroutine and so unknown to the file's allocator: a nested coroutine's catch parameter named
   * $e2 beside its exception temporary $e2 lost the exception.
   */
  private freshLocals(avoid?: ReadonlySet<string>): CoroutineLocals {
    const { names } = this;
    return {
      frame: names.fresh('$f', avoid),
      value: names.fresh('$v', avoid),
      mode: names.fresh('$m', avoid),
      caught: names.fresh('$e', avoid),
      cond: names.fresh('$c', avoid),
      passThrough: names.fresh('$pass', avoid),
      state: names.fresh('$s', avoid),
      locals: names.fresh('$l', avoid),
      promise: names.fresh('$p', avoid),
    };
  }

  /**
   * Names for one coroutine: its frame class, its resume functions, then `extra` names of its kind
   * (in that order, so output is stable), the dispatch function on first need, labels, and the
   * locals: the file's shared set, or a set of its own when its functions go inside an enclosing
   * coroutine body, where they must not clash with `ownVars` (its IR variables).
   */
  coroutineNames(base: string, resumeCount: number, extra: string[], insideEnclosing: boolean, ownVars: () => ReadonlySet<string>): { names: CoroutineNames; extra: string[] } {
    const { names } = this;
    const frameClass = names.fresh(`${base}$Frame`);
    const resumeNames = Array.from({ length: resumeCount }, (_, i) => names.fresh(`${base}$resume${i}`));
    const extraNames = extra.map((e) => names.fresh(`${base}$${e}`));
    const local = insideEnclosing && this.depth > 0 ? this.freshLocals(ownVars()) : this.shared;
    let labelCount = 0;
    let runName: string | undefined;
    const labelNames = new Map<string, string>();
    return {
      extra: extraNames,
      names: {
        frameClass,
        resume: (i) => resumeNames[i],
        run: () => (runName ??= names.fresh(`${base}$run`)),
        closureMaker: () => names.fresh(`${base}$closure`),
        ...local,
        label: (n, kind) => {
          const key = `${kind}${n}`;
          if (!labelNames.has(key)) labelNames.set(key, names.fresh(kind === 'loop' ? `loop${labelCount++}` : kind === 'block' ? `b${n}` : 'handover'));
          return labelNames.get(key)!;
        },
      },
    };
  }

  /**
   * The analyses every kind runs on a built coroutine (liveness, then frame layout), with how to
   * lower what is nested in its body: what its emitter starts from.
   */
  analyse(built: BuildOutput): AnalysedCoroutine {
    const ir = built.ir;
    const liveness = computeLiveness(ir);
    return { ts: this.ts, ir, liveness, layout: layoutFrame(ir, liveness), refs: built.refs, helperRefs: built.helperRefs, nativeCaptures: built.nativeCaptures, namesWritable: built.namesWritable, tdzRefs: built.tdzRefs, sourceFile: this.sf, ...this.nesting() };
  }

  /** Runs one coroutine's emission: coroutines nested in its body see themselves one level deeper. */
  emitting<T>(emit: () => T): T {
    this.depth++;
    try {
      return emit();
    } finally {
      this.depth--;
    }
  }

  /** What an emitter needs to lower the coroutines, classes and literals nested in a body it emits. */
  private nesting(): { isNestedLowerable: (n: TS.Node) => boolean; lowerNested: (n: TS.Node) => TS.Node; pushCollector: () => void; popCollector: () => TS.Statement[] } {
    const { ts } = this;
    return {
      isNestedLowerable: (n) =>
        this.isSyncGenerator(n) || (!!this.options.lowerAsync && this.isAsyncFunction(n)) || (ts.isClassLike(n) && n.members.some(this.isSyncGenerator)) || (ts.isObjectLiteralExpression(n) && n.properties.some(this.isSyncGenerator)),
      lowerNested: (n) => this.visitor(n) as TS.Node,
      pushCollector: () => this.collectors.push({ top: [] }),
      popCollector: () => this.collectors.pop()!.top,
    };
  }

  /**
   * Places a coroutine's resume functions (and the statement registering them, if any): inside
   * the class when they use private names (assigned in its static block to variables declared
   * beside it), beside the coroutine when they close over its surroundings, else at module level.
   */
  placeStepFunctions(fns: TS.FunctionDeclaration[], registration: TS.Statement | undefined, usesPrivate: boolean, needsEnclosingScope: boolean): void {
    const f = this.f;
    if (usesPrivate && this.classSetups.length) {
      const setup = this.classSetups[this.classSetups.length - 1].statements;
      for (const fn of fns) {
        this.hoistLet(fn.name!.text);
        setup.unshift(f.createExpressionStatement(f.createAssignment(f.createIdentifier(fn.name!.text), f.createFunctionExpression(undefined, undefined, fn.name, undefined, fn.parameters, undefined, fn.body!))));
      }
      // after the assignments above, which went to the front in reverse order
      if (registration) setup.splice(fns.length, 0, registration);
    } else if (needsEnclosingScope && this.collectors.length > 1) {
      this.collectors[this.collectors.length - 1].top.push(...fns, ...(registration ? [registration] : []));
    } else {
      this.moduleLevel.push(...fns, ...(registration ? [registration] : []));
    }
  }

  /** Puts a statement at the top of the statement list being visited. */
  atTop(s: TS.Statement): void {
    this.collectors[this.collectors.length - 1].top.push(s);
  }

  /** Whether the node being visited sits directly in the file's statement list. */
  get atFileLevel(): boolean {
    return this.collectors.length === 1;
  }

  runtime = (name: RuntimeHelper | string): TS.Identifier => {
    let local = this.helpers.get(name as RuntimeHelper);
    if (!local) {
      local = this.names.fresh(name);
      this.helpers.set(name as RuntimeHelper, local);
    }
    return this.f.createIdentifier(local);
  };

  hoistLet(name: string): void {
    const f = this.f;
    this.atTop(f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(name)], this.ts.NodeFlags.Let)));
  }

  isSyncGenerator = (n: TS.Node): n is CoroutineFunction => {
    const ts = this.ts;
    return (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) && !!n.asteriskToken && !!n.body && !(ts.getCombinedModifierFlags(n as TS.Declaration) & ts.ModifierFlags.Async);
  };

  isAsyncFunction = (n: TS.Node): n is CoroutineFunction | TS.ArrowFunction => {
    const ts = this.ts;
    return (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n)) && !!n.body && !!(ts.getCombinedModifierFlags(n as TS.Declaration) & ts.ModifierFlags.Async);
  };

  visitor = (node: TS.Node): TS.VisitResult<TS.Node | undefined> => {
    const { ts, f } = this;
    if (this.isSyncGenerator(node)) return this.promiseCoroutines(node) ?? this.generators.lowerGenerator(node);
    if (this.options.lowerAsync && this.isAsyncFunction(node)) return this.generators.lowerAsync(node);
    if (ts.isBlock(node)) return f.updateBlock(node, this.visitStatementList(node.statements));
    if (ts.isModuleBlock(node)) return f.updateModuleBlock(node, this.visitStatementList(node.statements));
    if (ts.isCaseClause(node)) return f.updateCaseClause(node, ts.visitNode(node.expression, this.visitor) as TS.Expression, this.visitStatementList(node.statements));
    if (ts.isDefaultClause(node)) return f.updateDefaultClause(node, this.visitStatementList(node.statements));
    if (ts.isClassLike(node)) return this.visitClass(node);
    if (ts.isObjectLiteralExpression(node) && node.properties.some((p) => this.isSyncGenerator(p))) return this.visitObjectLiteral(node);
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
      this.collectors.push({ top: [] });
      const body = ts.visitNode(node.body, this.visitor) as TS.Expression;
      const hoisted = this.collectors.pop()!.top;
      const params = node.parameters.map((p) => ts.visitNode(p, this.visitor) as TS.ParameterDeclaration);
      return f.updateArrowFunction(node, node.modifiers, node.typeParameters, params, node.type, node.equalsGreaterThanToken, hoisted.length ? f.createBlock([...hoisted, f.createReturnStatement(body)], true) : body);
    }
    return ts.visitEachChild(node, this.visitor, this.ctx);
  };

  private visitStatementList(stmts: TS.NodeArray<TS.Statement>): TS.Statement[] {
    const ts = this.ts;
    const c: Collector = { top: [] };
    this.collectors.push(c);
    const out: TS.Statement[] = [];
    for (const s of stmts) {
      const r = ts.visitNode(s, this.visitor);
      if (r) out.push(...(Array.isArray(r) ? r : [r as TS.Statement]));
    }
    this.collectors.pop();
    // Directives ("use strict") must stay first.
    let i = 0;
    while (i < out.length && ts.isExpressionStatement(out[i]) && ts.isStringLiteral((out[i] as TS.ExpressionStatement).expression) && stmts[i] && ts.isExpressionStatement(stmts[i])) i++;
    return [...out.slice(0, i), ...c.top, ...out.slice(i)];
  }

  // Computed keys are captured on first evaluation so they are not re-evaluated.
  private visitClass(node: TS.ClassDeclaration | TS.ClassExpression): TS.Node {
    const { ts, f } = this;
    const setup: ClassSetup = { statements: [], prototypeMethods: [], staticMethods: [] };
    this.classSetups.push(setup);
    this.memberContext.push('class');
    // (a generator method the runtime defines leaves nothing where it stood)
    const members = node.members.map((m) => ts.visitNode(m, this.visitor) as TS.ClassElement | undefined).filter((m) => m !== undefined);
    this.memberContext.pop();
    this.classSetups.pop();
    // One call wires all its generator methods, the prototype's and the static ones (in any
    // order: wiring runs no user code).
    if (setup.prototypeMethods.length || setup.staticMethods.length) {
      const args = [f.createThis(), f.createNumericLiteral(setup.prototypeMethods.length / 2), ...setup.prototypeMethods, ...setup.staticMethods];
      setup.statements.push(f.createExpressionStatement(f.createCallExpression(this.runtime('defineClassGeneratorMethods'), undefined, args)));
    }
    // First among the static elements: computed keys are all evaluated by then, and a static
    // field or block of the user's that calls a generator method (or a private one, whose resume
    // functions are assigned here) finds it wired.
    if (setup.statements.length) members.unshift(f.createClassStaticBlockDeclaration(f.createBlock(setup.statements, true)));
    const heritage = node.heritageClauses?.map((h) => ts.visitNode(h, this.visitor) as TS.HeritageClause);
    const mods = node.modifiers?.map((m) => ts.visitNode(m, this.visitor) as TS.ModifierLike);
    if (ts.isClassDeclaration(node)) return f.updateClassDeclaration(node, mods, node.name, node.typeParameters, heritage, members);
    return f.updateClassExpression(node, mods, node.name, node.typeParameters, heritage, members);
  }

  private visitObjectLiteral(node: TS.ObjectLiteralExpression): TS.Node {
    const { ts, f } = this;
    const setup: TS.Expression[] = [];
    this.objectSetups.push(setup);
    this.memberContext.push('object');
    const props = node.properties.map((p) => ts.visitNode(p, this.visitor) as TS.ObjectLiteralElementLike | undefined).filter((p) => p !== undefined);
    this.memberContext.pop();
    this.objectSetups.pop();
    const lit = f.updateObjectLiteralExpression(node, props);
    if (!setup.length) return lit;
    return f.createCallExpression(this.runtime('defineGeneratorMethods'), undefined, [lit, ...setup]);
  }

  /** A static key for a member name, or an expression that evaluates it once. */
  memberKey(name: TS.PropertyName): { key: TS.Expression; name: TS.PropertyName; display: string } | undefined {
    const { ts, f } = this;
    if (ts.isIdentifier(name)) return { key: f.createStringLiteral(name.text), name, display: name.text };
    if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return { key: f.createStringLiteral(name.text), name, display: name.text };
    if (ts.isNumericLiteral(name)) return { key: f.createStringLiteral(String(Number(name.text))), name, display: String(Number(name.text)) };
    if (ts.isBigIntLiteral(name)) return { key: f.createStringLiteral(BigInt(name.text.slice(0, -1)).toString()), name, display: name.text };
    if (ts.isComputedPropertyName(name)) {
      const tmp = this.names.fresh('$key');
      this.hoistLet(tmp);
      const expr = ts.visitNode(name.expression, this.visitor) as TS.Expression;
      return { key: f.createIdentifier(tmp), name: f.createComputedPropertyName(f.createAssignment(f.createIdentifier(tmp), expr)), display: '' };
    }
    return undefined;
  }

  /** A diagnostic with the file and span of `node` (or of the file, for a synthesized node). */
  report(node: TS.Node, message: string): void {
    const n = node.pos >= 0 ? node : undefined;
    const start = n ? n.getStart(this.sf) : 0;
    this.diagnostics.push({ file: this.sf.fileName, start, length: Math.max(1, n ? n.getEnd() - start : 1), message, category: 'error' });
  }

  /**
   * Lowers one coroutine with `lower`; when it cannot be lowered, a diagnostic at the construct (a
   * LoweringError's node) or at the function, and the function left as it was (the file then has
   * no output). Structuring follows the dominator tree recursively, so a body that is one very
   * long chain of statements branching around suspension points (hundreds of them) can exhaust
   * the host stack: a property of the input, reported as such. Anything else is a bug of ours and
   * propagates.
   */
  guarded(node: TS.Node, what: string, lower: () => TS.VisitResult<TS.Node | undefined>): TS.VisitResult<TS.Node | undefined> {
    const openCollectors = this.collectors.length;
    try {
      return lower();
    } catch (e) {
      // An error part-way through emission can leave nested collectors open.
      this.collectors.length = openCollectors;
      let at: TS.Node;
      let message: string;
      if (e instanceof LoweringError) {
        at = e.node.pos >= 0 ? e.node : node;
        message = `${e.message} (in ${what})`;
      } else if (isStackExhaustion(e)) {
        at = node;
        message = `corosplit cannot lower ${what}: its control flow is too long for the structuring pass (it exhausted the stack); split it into smaller functions, or run the build with a larger stack (node --stack-size=N)`;
      } else throw e;
      const start = at.getStart(this.sf);
      this.diagnostics.push({ file: this.sf.fileName, start, length: Math.max(1, at.getEnd() - start), message, category: 'error' });
      return this.ts.visitEachChild(node, this.visitor, this.ctx);
    }
  }
}

/** Places module-level declarations after the file's directives and imports. */
export function insertModuleLevel(ts: typeof TS, file: TS.SourceFile, before: TS.Statement[], moduleLevel: TS.Statement[]): TS.SourceFile {
  const stmts = [...file.statements];
  let i = 0;
  while (i < stmts.length && ts.isExpressionStatement(stmts[i]) && ts.isStringLiteral((stmts[i] as TS.ExpressionStatement).expression)) i++;
  while (i < stmts.length && (ts.isImportDeclaration(stmts[i]) || ts.isImportEqualsDeclaration(stmts[i]))) i++;
  return ts.factory.updateSourceFile(file, [...stmts.slice(0, i), ...before, ...moduleLevel, ...stmts.slice(i)]);
}

export { isAsyncLoweringError } from './generator-lowering.js';

/** The host's stack overflow (V8: RangeError "Maximum call stack size exceeded"). */
function isStackExhaustion(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
