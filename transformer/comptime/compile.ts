// Compiles the TypeScript AST of (already lowered) JavaScript into host closures. Each expression
// becomes `(env) => Value` and each statement `(env) => completion`, with names resolved to
// environment slots up front, so running code does no AST dispatch and no name lookups.
//
// Host stack use is bounded: every guest call goes through Realm.enterCall, which enforces the
// depth limit, and the entry point turns a host stack overflow into the same diagnostic.

import type * as TS from 'typescript';
import { EvalFailure, GuestThrow, type Realm, type Site, type SourceInfo } from './realm.js';
import { Closure, NEW_TARGET, RET, THIS, initFields, type CompiledFn, type FieldDef } from './closure.js';
import { arith, compoundOps, specialize } from './operators.js';
import { FnInfo, Scope, type Binding } from './scope.js';
import {
  ACCESSOR,
  CONFIGURABLE,
  DEFAULT_DATA,
  ENUMERABLE,
  GArray,
  GFunction,
  GObj,
  HOLE,
  NativeFunction,
  PrivateName,
  Slot,
  TDZ,
  WRITABLE,
  host,
  type Key,
  type Value,
} from './values.js';

type Env = any[];
type Expr = (env: Env) => Value;
type Stmt = (env: Env) => number | undefined;

const BRK = 1;
const CONT = 2;
/** Result of a short-circuited optional chain, turned into undefined at the end of the chain. */
const SHORT: unique symbol = Symbol('short');

export interface ModuleHooks {
  /** Resolves an imported binding to the exporting module's cell; called on first access. */
  importCell(specifier: string, name: string): () => { env: Env; slot: number };
  namespace(specifier: string): () => GObj;
}

export interface CompiledModule {
  scope: Scope;
  /** Creates the bindings: TDZ markers and hoisted function declarations (before any dependency runs). */
  init: (env: Env) => void;
  run: (env: Env) => void;
  /** export name → local binding name */
  localExports: Map<string, string>;
  /** `export { a as b } from 'x'` */
  reexports: { name: string; specifier: string; importName: string }[];
  starExports: string[];
  requests: string[];
}

export class Compiler {
  private sf!: TS.SourceFile;
  private src!: SourceInfo;
  private scope!: Scope;
  private templateCache = new Map<TS.Node, GArray>();

  constructor(
    readonly ts: typeof TS,
    readonly R: Realm,
  ) {}

  site(node: TS.Node): Site {
    return { src: this.src, pos: node.getStart(this.sf) };
  }

  fail(node: TS.Node, what: string): never {
    const lc = this.src.lineCol(node.getStart(this.sf));
    throw new EvalFailure(`comptime: ${what} is not supported during build-time evaluation (at ${this.src.fileName}:${lc.line}:${lc.column})`);
  }

  // ---------------------------------------------------------------- modules

  compileModule(sf: TS.SourceFile, src: SourceInfo, hooks: ModuleHooks): CompiledModule {
    const ts = this.ts;
    this.sf = sf;
    this.src = src;
    const info = new FnInfo(false);
    info.isModule = true;
    const scope = new Scope(null, info, true);
    scope.declare('%this', 'internal');
    scope.declare('%nt', 'internal');
    scope.declare('%fn', 'internal');
    this.scope = scope;
    const localExports = new Map<string, string>();
    const reexports: CompiledModule['reexports'] = [];
    const starExports: string[] = [];
    const requests: string[] = [];
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) {
        const spec = (st.moduleSpecifier as TS.StringLiteral).text;
        requests.push(spec);
        const clause = st.importClause;
        if (!clause || clause.isTypeOnly) continue;
        if (clause.name) this.declareImport(scope, clause.name.text, hooks.importCell(spec, 'default'));
        const nb = clause.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) {
          const ns = hooks.namespace(spec);
          const b = scope.declare(nb.name.text, 'import');
          let cell: { env: Env; slot: number } | undefined;
          b.importCell = () => {
            if (!cell) cell = { env: [undefined, ns()], slot: 1 };
            return cell;
          };
        } else if (nb) {
          for (const el of nb.elements) {
            if (el.isTypeOnly) continue;
            this.declareImport(scope, el.name.text, hooks.importCell(spec, (el.propertyName ?? el.name).text));
          }
        }
      } else if (ts.isExportDeclaration(st)) {
        if (st.isTypeOnly) continue;
        const spec = st.moduleSpecifier ? (st.moduleSpecifier as TS.StringLiteral).text : undefined;
        if (spec) requests.push(spec);
        if (!st.exportClause) {
          if (spec) starExports.push(spec);
        } else if (ts.isNamespaceExport(st.exportClause)) {
          this.fail(st, 'export * as ns');
        } else {
          for (const el of st.exportClause.elements) {
            if (el.isTypeOnly) continue;
            const local = (el.propertyName ?? el.name).text;
            if (spec) reexports.push({ name: el.name.text, specifier: spec, importName: local });
            else localExports.set(el.name.text, local);
          }
        }
      } else if (ts.isExportAssignment(st)) {
        if (st.isExportEquals) this.fail(st, 'export = (CommonJS)');
        localExports.set('default', '*default*');
        scope.declare('*default*', 'const');
      } else {
        const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
        const exported = mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
        const isDefault = mods?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
        if (exported) {
          if (ts.isVariableStatement(st)) {
            for (const d of st.declarationList.declarations) for (const n of this.boundNames(d.name)) localExports.set(n, n);
          } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && !(ts.isFunctionDeclaration(st) && !st.body)) {
            if (st.name) localExports.set(isDefault ? 'default' : st.name.text, st.name.text);
            else {
              localExports.set('default', '*default*');
              scope.declare('*default*', ts.isClassDeclaration(st) ? 'const' : 'function');
            }
          }
        }
      }
    }
    this.hoistDeclarations(sf.statements, scope, true);
    const body = this.statementList(sf.statements, true);
    const init = this.scopeInit(scope);
    return {
      scope,
      localExports,
      reexports,
      starExports,
      requests,
      init,
      run: (env) => void body(env),
    };
  }

  private declareImport(scope: Scope, local: string, cell: () => { env: Env; slot: number }): void {
    const b = scope.declare(local, 'import');
    b.importCell = cell;
  }

  // ---------------------------------------------------------------- declarations & scopes

  boundNames(n: TS.BindingName): string[] {
    const ts = this.ts;
    if (ts.isIdentifier(n)) return [n.text];
    const out: string[] = [];
    for (const el of n.elements) if (!ts.isOmittedExpression(el)) out.push(...this.boundNames(el.name));
    return out;
  }

  /** Declares var-scoped names found anywhere below `stmts` (not inside nested functions) in `fnScope`. */
  private hoistVars(node: TS.Node, fnScope: Scope): void {
    const ts = this.ts;
    const visit = (n: TS.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using))) {
        for (const d of n.declarations) for (const name of this.boundNames(d.name)) fnScope.declare(name, 'var');
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(node, visit);
  }

  /** Declares the lexical declarations (and, at function level, the vars) of a statement list. */
  private hoistDeclarations(stmts: readonly TS.Statement[], scope: Scope, functionLevel: boolean, trackEnd = true): boolean {
    const ts = this.ts;
    let any = false;
    const mark = (b: Binding, end: number) => {
      if (trackEnd) b.declEnd = end;
    };
    if (functionLevel) for (const st of stmts) this.hoistVars(st, scope);
    for (const st of stmts) {
      if (ts.isVariableStatement(st) && st.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
        const kind = st.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
        for (const d of st.declarationList.declarations) for (const n of this.boundNames(d.name)) mark(scope.declare(n, kind), d.end);
        any = true;
      } else if (ts.isFunctionDeclaration(st) && st.body) {
        scope.declare(st.name ? st.name.text : '*default*', 'function');
        any = true;
      } else if (ts.isClassDeclaration(st)) {
        mark(scope.declare(st.name ? st.name.text : '*default*', 'class'), st.end);
        any = true;
      }
    }
    return any;
  }

  /** Runtime initialisation of a scope: TDZ markers, then hoisted function declarations. */
  private scopeInit(scope: Scope): (env: Env) => void {
    const tdz: number[] = [];
    for (const b of scope.names.values()) if (b.tdz) tdz.push(b.slot);
    const fns = this.pendingFunctions.get(scope) ?? [];
    if (tdz.length === 0 && fns.length === 0) return noop;
    return (env) => {
      for (let i = 0; i < tdz.length; i++) env[tdz[i]!] = TDZ;
      for (let i = 0; i < fns.length; i++) fns[i]!(env);
    };
  }

  private pendingFunctions = new Map<Scope, ((env: Env) => void)[]>();

  private statementList(stmts: readonly TS.Statement[], topLevel: boolean): Stmt {
    const ts = this.ts;
    const list: Stmt[] = [];
    for (const st of stmts) {
      if (ts.isFunctionDeclaration(st)) {
        if (!st.body) continue;
        const b = this.scope.resolve(st.name ? st.name.text : '*default*')!;
        const mk = this.functionNode(st, st.name ? st.name.text : 'default');
        const slot = b.binding.slot;
        const fns = this.pendingFunctions.get(this.scope) ?? [];
        fns.push((env) => {
          env[slot] = mk(env);
        });
        this.pendingFunctions.set(this.scope, fns);
        continue;
      }
      if (topLevel && (ts.isImportDeclaration(st) || ts.isExportDeclaration(st))) continue;
      list.push(this.statement(st));
    }
    return seq(list);
  }

  // ---------------------------------------------------------------- statements

  statement(st: TS.Statement): Stmt {
    const ts = this.ts;
    const R: Realm = this.R;
    const site = this.site(st);
    if (ts.canHaveDecorators(st) && ts.getDecorators(st)?.length) this.fail(st, 'decorators (the module loader must return JavaScript)');
    switch (st.kind) {
      case ts.SyntaxKind.ExpressionStatement: {
        const e = this.expr((st as TS.ExpressionStatement).expression);
        return (env) => {
          R.site = site;
          e(env);
          return undefined;
        };
      }
      case ts.SyntaxKind.VariableStatement:
        return this.varDeclList((st as TS.VariableStatement).declarationList, site);
      case ts.SyntaxKind.Block:
        return this.block((st as TS.Block).statements);
      case ts.SyntaxKind.EmptyStatement:
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.DebuggerStatement:
        return () => undefined;
      case ts.SyntaxKind.ReturnStatement: {
        const ex = (st as TS.ReturnStatement).expression;
        const e = ex ? this.expr(ex) : undefined;
        return (env) => {
          R.site = site;
          R.ret = e === undefined ? undefined : e(env);
          return RET;
        };
      }
      case ts.SyntaxKind.IfStatement: {
        const s = st as TS.IfStatement;
        const c = this.expr(s.expression);
        const t = this.statement(s.thenStatement);
        const f = s.elseStatement ? this.statement(s.elseStatement) : undefined;
        return (env) => {
          const v = c(env);
          if (v instanceof GObj || v) return t(env);
          return f === undefined ? undefined : f(env);
        };
      }
      case ts.SyntaxKind.ThrowStatement: {
        const e = this.expr((st as TS.ThrowStatement).expression);
        return (env) => {
          R.site = site;
          const v = e(env);
          R.site = site;
          throw new GuestThrow(v);
        };
      }
      case ts.SyntaxKind.BreakStatement: {
        const label = (st as TS.BreakStatement).label?.text;
        return () => {
          R.label = label;
          return BRK;
        };
      }
      case ts.SyntaxKind.ContinueStatement: {
        const label = (st as TS.ContinueStatement).label?.text;
        return () => {
          R.label = label;
          return CONT;
        };
      }
      case ts.SyntaxKind.LabeledStatement:
        return this.labeled(st as TS.LabeledStatement, []);
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement:
        return this.loop(st as TS.IterationStatement, []);
      case ts.SyntaxKind.TryStatement:
        return this.tryStatement(st as TS.TryStatement);
      case ts.SyntaxKind.SwitchStatement:
        return this.switchStatement(st as TS.SwitchStatement);
      case ts.SyntaxKind.ClassDeclaration: {
        const cd = st as TS.ClassDeclaration;
        const name = cd.name ? cd.name.text : '*default*';
        const mk = this.classNode(cd, cd.name ? cd.name.text : 'default');
        const set = this.bindingInit(name);
        return (env) => {
          R.site = site;
          set(env, mk(env));
          return undefined;
        };
      }
      case ts.SyntaxKind.ExportAssignment: {
        const ea = st as TS.ExportAssignment;
        const e = this.expr(ea.expression, 'default');
        const set = this.bindingInit('*default*');
        return (env) => {
          R.site = site;
          set(env, e(env));
          return undefined;
        };
      }
      case ts.SyntaxKind.FunctionDeclaration:
        return () => undefined;
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ExportDeclaration:
        return () => undefined;
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
        return this.fail(st, 'TypeScript-only syntax (enum/namespace) in evaluated JavaScript');
      case ts.SyntaxKind.WithStatement:
        return this.fail(st, 'the with statement');
    }
    return this.fail(st, `statement ${ts.SyntaxKind[st.kind]}`);
  }

  private block(stmts: readonly TS.Statement[]): Stmt {
    const outer = this.scope;
    const inner = new Scope(outer, outer.fn, false);
    const needs = this.hoistDeclarations(stmts, inner, false);
    if (!needs) return this.statementList(stmts, false);
    this.scope = inner;
    try {
      const body = this.statementList(stmts, false);
      const init = this.scopeInit(inner);
      return (env) => {
        const e = new Array(inner.size);
        e[0] = env;
        init(e);
        return body(e);
      };
    } finally {
      this.scope = outer;
    }
  }

  private varDeclList(list: TS.VariableDeclarationList, site: Site): Stmt {
    const ts = this.ts;
    if (list.flags & ts.NodeFlags.Using) this.fail(list, 'using declarations');
    const isLexical = (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;
    const parts: Stmt[] = [];
    const R: Realm = this.R;
    for (const d of list.declarations) {
      if (!d.initializer) {
        if (!isLexical) continue;
        const set = this.bindingInit((d.name as TS.Identifier).text);
        parts.push((env) => {
          set(env, undefined);
          return undefined;
        });
        continue;
      }
      const init = this.expr(d.initializer, ts.isIdentifier(d.name) ? d.name.text : undefined);
      if (ts.isIdentifier(d.name)) {
        const set = isLexical ? this.bindingInit(d.name.text) : this.assignIdentifier(d.name.text, d.name);
        parts.push((env) => {
          R.site = site;
          set(env, init(env));
          return undefined;
        });
      } else {
        const bind = this.pattern(d.name, isLexical ? 'init' : 'assign');
        parts.push((env) => {
          R.site = site;
          bind(env, init(env));
          return undefined;
        });
      }
    }
    return seq(parts);
  }

  /** Initialises a binding (clearing its TDZ), found by name in the current scope chain. */
  private bindingInit(name: string): (env: Env, v: Value) => void {
    const r = this.scope.resolve(name);
    if (!r) throw new Error(`internal: unresolved declaration ${name}`);
    const { hops } = r;
    const slot = r.binding.slot;
    if (hops === 0)
      return (env, v) => {
        env[slot] = v;
      };
    return (env, v) => {
      envAt(env, hops)[slot] = v;
    };
  }

  private labeled(st: TS.LabeledStatement, outerLabels: string[]): Stmt {
    const ts = this.ts;
    const R: Realm = this.R;
    const labels = [...outerLabels, st.label.text];
    const body = st.statement;
    if (ts.isLabeledStatement(body)) return this.labeled(body, labels);
    if (ts.isIterationStatement(body, false)) return this.loop(body, labels);
    const inner = this.statement(body);
    const label = st.label.text;
    return (env) => {
      const c = inner(env);
      if (c === BRK && R.label === label) {
        R.label = undefined;
        return undefined;
      }
      return c;
    };
  }

  private containsClosure(n: TS.Node): boolean {
    const ts = this.ts;
    let found = false;
    const visit = (x: TS.Node): void => {
      if (found) return;
      if (ts.isFunctionLike(x) || ts.isClassLike(x)) {
        found = true;
        return;
      }
      ts.forEachChild(x, visit);
    };
    visit(n);
    return found;
  }

  private loop(st: TS.IterationStatement, labels: string[]): Stmt {
    const ts = this.ts;
    const R: Realm = this.R;
    // What to do with a completion from the body: 0 keep looping, 1 leave loop normally, 2 propagate.
    const own = (c: number | undefined): number => {
      if (c === undefined) return 0;
      if (c === BRK) {
        if (R.label === undefined || labels.includes(R.label)) {
          R.label = undefined;
          return 1;
        }
        return 2;
      }
      if (c === CONT) {
        if (R.label === undefined || labels.includes(R.label)) {
          R.label = undefined;
          return 0;
        }
        return 2;
      }
      return 2;
    };
    if (ts.isWhileStatement(st)) {
      const c = this.expr(st.expression);
      const body = this.statement(st.statement);
      return (env) => {
        for (;;) {
          if (++R.steps > R.maxSteps) R.stepLimit();
          const t = c(env);
          if (!(t instanceof GObj || t)) return undefined;
          const r = body(env);
          if (r !== undefined) {
            const k = own(r);
            if (k === 1) return undefined;
            if (k === 2) return r;
          }
        }
      };
    }
    if (ts.isDoStatement(st)) {
      const c = this.expr(st.expression);
      const body = this.statement(st.statement);
      return (env) => {
        for (;;) {
          if (++R.steps > R.maxSteps) R.stepLimit();
          const r = body(env);
          if (r !== undefined) {
            const k = own(r);
            if (k === 1) return undefined;
            if (k === 2) return r;
          }
          const t = c(env);
          if (!(t instanceof GObj || t)) return undefined;
        }
      };
    }
    if (ts.isForStatement(st)) {
      const initNode = st.initializer;
      const lexical = initNode && ts.isVariableDeclarationList(initNode) && (initNode.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;
      const outer = this.scope;
      let inner: Scope | undefined;
      if (lexical) {
        inner = new Scope(outer, outer.fn, false);
        const kind = initNode.flags & ts.NodeFlags.Const ? 'const' : 'let';
        for (const d of (initNode as TS.VariableDeclarationList).declarations) for (const n of this.boundNames(d.name)) inner.declare(n, kind).declEnd = d.end;
        this.scope = inner;
      }
      try {
        const init: Stmt | undefined = initNode ? (ts.isVariableDeclarationList(initNode) ? this.varDeclList(initNode, this.site(initNode)) : exprStmt(this.expr(initNode))) : undefined;
        const test = st.condition ? this.expr(st.condition) : undefined;
        const update = st.incrementor ? this.expr(st.incrementor) : undefined;
        const body = this.statement(st.statement);
        const perIteration = inner !== undefined && this.containsClosure(st);
        const size = inner?.size ?? 0;
        const scopeInit = inner ? this.scopeInit(inner) : undefined;
        return (env) => {
          let e = env;
          if (inner) {
            e = new Array(size);
            e[0] = env;
            scopeInit!(e);
          }
          if (init) init(e);
          for (;;) {
            if (++R.steps > R.maxSteps) R.stepLimit();
            if (test !== undefined) {
              const t = test(e);
              if (!(t instanceof GObj || t)) return undefined;
            }
            const r = body(e);
            if (r !== undefined) {
              const k = own(r);
              if (k === 1) return undefined;
              if (k === 2) return r;
            }
            if (perIteration) e = e.slice();
            if (update !== undefined) update(e);
          }
        };
      } finally {
        this.scope = outer;
      }
    }
    // for-of / for-in
    const fs = st as TS.ForOfStatement | TS.ForInStatement;
    if (ts.isForOfStatement(fs) && fs.awaitModifier) this.fail(fs, 'for await (lower async code with corosplit first)');
    const outer = this.scope;
    const initNode = fs.initializer;
    let inner: Scope | undefined;
    let bind: (env: Env, v: Value) => void;
    const iterExpr = this.expr(fs.expression);
    if (ts.isVariableDeclarationList(initNode)) {
      const lexical = (initNode.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;
      const decl = initNode.declarations[0]!;
      if (lexical) {
        inner = new Scope(outer, outer.fn, false);
        for (const n of this.boundNames(decl.name)) inner.declare(n, initNode.flags & ts.NodeFlags.Const ? 'const' : 'let').declEnd = decl.end;
        this.scope = inner;
      }
      bind = ts.isIdentifier(decl.name) ? (lexical ? this.bindingInit(decl.name.text) : this.assignIdentifier(decl.name.text, decl.name)) : this.pattern(decl.name, lexical ? 'init' : 'assign');
    } else {
      bind = this.assignTarget(initNode);
    }
    try {
      const body = this.statement(fs.statement);
      const size = inner?.size ?? 0;
      // Per-iteration environments only matter when the body can capture them.
      const fresh = inner !== undefined && this.containsClosure(fs.statement);
      const reuse = inner !== undefined && !fresh;
      const loopEnv = (env: Env): Env | undefined => {
        if (!reuse) return undefined;
        const e = new Array(size);
        e[0] = env;
        return e;
      };
      const runOne = (env: Env, v: Value, shared: Env | undefined): number => {
        let e = env;
        if (fresh) {
          e = new Array(size);
          e[0] = env;
        } else if (shared !== undefined) e = shared;
        bind(e, v);
        const r = body(e);
        if (r === undefined) return 0;
        const k = own(r);
        if (k === 2) R.pendingCompletion = r;
        return k;
      };
      if (ts.isForInStatement(fs)) {
        return (env) => {
          const o = iterExpr(env);
          if (o === undefined || o === null) return undefined;
          const obj = R.toObject(o);
          const keys = forInKeys(obj);
          R.charge(keys.length >> 2);
          const shared = loopEnv(env);
          for (const k of keys) {
            if (++R.steps > R.maxSteps) R.stepLimit();
            if (!obj.has(k)) continue;
            const r = runOne(env, k, shared);
            if (r === 1) return undefined;
            if (r === 2) return R.takeCompletion();
          }
          return undefined;
        };
      }
      return (env) => {
        const src = iterExpr(env);
        const shared = loopEnv(env);
        if (R.fastArray(src)) {
          const items = src.items;
          for (let i = 0; i < items.length; i++) {
            if (++R.steps > R.maxSteps) R.stepLimit();
            const x = items[i];
            const r = runOne(env, x === HOLE ? src.getIndex(i) : x, shared);
            if (r === 1) return undefined;
            if (r === 2) return R.takeCompletion();
          }
          return undefined;
        }
        const { it, next } = R.getIterator(src);
        // A compiled next() (lowered generators, user iterators) is entered directly.
        const direct = next instanceof Closure && next.code.paramBase >= 0 ? next : undefined;
        for (;;) {
          if (++R.steps > R.maxSteps) R.stepLimit();
          const res = direct !== undefined ? direct.invokeDirect(it, new Array(direct.code.size)) : R.call(next, it, EMPTY_ARGS);
          if (!(res instanceof GObj)) R.typeError(`Iterator result ${R.describe(res)} is not an object`);
          const done = getNamed(res, 'done');
          if (done instanceof GObj || done) return undefined;
          let r: number;
          try {
            r = runOne(env, getNamed(res, 'value'), shared);
          } catch (e) {
            if (e instanceof GuestThrow) R.closeIteratorQuietly(it);
            throw e;
          }
          if (r === 1) {
            R.closeIterator(it);
            return undefined;
          }
          if (r === 2) {
            const c = R.takeCompletion();
            const saved = R.ret;
            const label = R.label;
            R.closeIterator(it);
            R.ret = saved;
            R.label = label;
            return c;
          }
        }
      };
    } finally {
      this.scope = outer;
    }
  }

  private tryStatement(st: TS.TryStatement): Stmt {
    const R: Realm = this.R;
    const tryB = this.block(st.tryBlock.statements);
    let catchB: ((env: Env, v: Value) => number | undefined) | undefined;
    if (st.catchClause) {
      const cc = st.catchClause;
      const decl = cc.variableDeclaration;
      if (!decl) {
        const b = this.block(cc.block.statements);
        catchB = (env) => b(env);
      } else {
        const outer = this.scope;
        const inner = new Scope(outer, outer.fn, false);
        for (const n of this.boundNames(decl.name)) inner.declare(n, 'let').declEnd = decl.end;
        this.scope = inner;
        try {
          const bind = this.pattern(decl.name, 'init');
          const b = this.block(cc.block.statements);
          const size = inner.size;
          catchB = (env, v) => {
            const e = new Array(size);
            e[0] = env;
            bind(e, v);
            return b(e);
          };
        } finally {
          this.scope = outer;
        }
      }
    }
    const finB = st.finallyBlock ? this.block(st.finallyBlock.statements) : undefined;
    return (env) => {
      let c: number | undefined;
      let thrown: GuestThrow | undefined;
      const frames = R.depth;
      try {
        c = tryB(env);
      } catch (e) {
        if (!(e instanceof GuestThrow)) throw e;
        R.unwindTo(frames);
        if (catchB) {
          if (finB === undefined) return catchB(env, e.value);
          try {
            c = catchB(env, e.value);
          } catch (e2) {
            if (!(e2 instanceof GuestThrow)) throw e2;
            R.unwindTo(frames);
            thrown = e2;
          }
        } else thrown = e;
      }
      if (finB !== undefined) {
        const ret = R.ret;
        const label = R.label;
        const fc = finB(env);
        if (fc !== undefined) return fc;
        R.ret = ret;
        R.label = label;
        if (thrown) throw thrown;
      }
      return c;
    };
  }

  private switchStatement(st: TS.SwitchStatement): Stmt {
    const R: Realm = this.R;
    const disc = this.expr(st.expression);
    const outer = this.scope;
    const inner = new Scope(outer, outer.fn, false);
    const all: TS.Statement[] = [];
    for (const c of st.caseBlock.clauses) all.push(...c.statements);
    // A case can jump past a declaration in an earlier case, so switch bindings keep their checks.
    this.hoistDeclarations(all, inner, false, false);
    this.scope = inner;
    try {
      const tests: (Expr | undefined)[] = [];
      const bodies: Stmt[] = [];
      for (const c of st.caseBlock.clauses) {
        tests.push(this.ts.isCaseClause(c) ? this.expr(c.expression) : undefined);
        bodies.push(this.statementList(c.statements, false));
      }
      const init = this.scopeInit(inner);
      const dflt = tests.findIndex((t) => t === undefined);
      const size = inner.size;
      return (env) => {
        const v = disc(env);
        const e = new Array(size);
        e[0] = env;
        init(e);
        let start = -1;
        for (let i = 0; i < tests.length; i++) {
          const t = tests[i];
          if (t !== undefined && t(e) === v) {
            start = i;
            break;
          }
        }
        if (start < 0) start = dflt;
        if (start < 0) return undefined;
        for (let i = start; i < bodies.length; i++) {
          const c = bodies[i]!(e);
          if (c !== undefined) {
            if (c === BRK && R.label === undefined) return undefined;
            return c;
          }
        }
        return undefined;
      };
    } finally {
      this.scope = outer;
    }
  }

  // ---------------------------------------------------------------- functions

  private usesArguments(body: TS.Node): boolean {
    const ts = this.ts;
    let found = false;
    const visit = (n: TS.Node): void => {
      if (found) return;
      if (ts.isIdentifier(n) && n.text === 'arguments') {
        found = true;
        return;
      }
      if ((ts.isFunctionLike(n) && !ts.isArrowFunction(n)) || ts.isClassLike(n)) return;
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return found;
  }

  /** Compiles a function-like node; returns a maker producing a fresh Closure in a given env. */
  functionNode(node: TS.FunctionLikeDeclaration, name: string, opts: { method?: boolean; classCtor?: boolean; derived?: boolean } = {}): (env: Env) => Closure {
    const code = this.compileFunction(node, name, opts);
    const R: Realm = this.R;
    return (env) => new Closure(R, code, env, R.FunctionPrototype, code.name);
  }

  compileFunction(node: TS.FunctionLikeDeclaration | TS.ClassStaticBlockDeclaration | TS.Expression, name: string, opts: { method?: boolean; classCtor?: boolean; derived?: boolean; fieldInit?: boolean } = {}): CompiledFn {
    const ts = this.ts;
    const isArrow = ts.isArrowFunction(node);
    if (!opts.fieldInit && !ts.isClassStaticBlockDeclaration(node)) {
      const fl = node as TS.FunctionLikeDeclaration;
      if (fl.asteriskToken) this.fail(node, 'a generator function (corosplit lowers generators before evaluation; this code was not lowered)');
      const mods = ts.canHaveModifiers(fl) ? ts.getModifiers(fl) : undefined;
      if (mods?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) this.fail(node, 'an async function (corosplit lowers async functions before evaluation; this code was not lowered)');
    }
    const outer = this.scope;
    const info = new FnInfo(isArrow);
    info.derivedCtor = !!opts.derived;
    const scope = new Scope(outer, info, true);
    if (!isArrow) {
      scope.declare('%this', 'internal');
      scope.declare('%nt', 'internal');
      scope.declare('%fn', 'internal');
    }
    this.scope = scope;
    try {
      const params = opts.fieldInit || ts.isClassStaticBlockDeclaration(node) ? [] : (node as TS.FunctionLikeDeclaration).parameters;
      const body = opts.fieldInit ? undefined : ts.isClassStaticBlockDeclaration(node) ? node.body : (node as TS.FunctionLikeDeclaration).body;
      for (const p of params) {
        if (ts.canHaveModifiers(p) && ts.getModifiers(p)?.length) this.fail(p, 'a TypeScript parameter property (the module loader must return JavaScript)');
        for (const n of this.boundNames(p.name)) scope.declare(n, 'param');
      }
      const argsSlot = !isArrow && body && this.usesArguments(node) ? scope.declare('arguments', 'var').slot : -1;
      // Function name binding for named function expressions (self-reference).
      let selfSlot = -1;
      if (ts.isFunctionExpression(node) && node.name && !scope.names.has(node.name.text)) selfSlot = scope.declare(node.name.text, 'const').slot;
      let length = 0;
      for (const p of params) {
        if (p.initializer || p.dotDotDotToken) break;
        length++;
      }
      const simple = params.every((p) => ts.isIdentifier(p.name) && !p.initializer && !p.dotDotDotToken);
      const paramSlots = params.map((p) => (ts.isIdentifier(p.name) ? scope.names.get(p.name.text)!.slot : -1));
      let bindParams: (env: Env, args: Value[]) => void;
      if (simple) {
        const n = paramSlots.length;
        const [s0, s1, s2] = paramSlots as number[];
        if (n === 0) bindParams = noop;
        else if (n === 1)
          bindParams = (env, args) => {
            env[s0!] = args[0];
          };
        else if (n === 2)
          bindParams = (env, args) => {
            env[s0!] = args[0];
            env[s1!] = args[1];
          };
        else if (n === 3)
          bindParams = (env, args) => {
            env[s0!] = args[0];
            env[s1!] = args[1];
            env[s2!] = args[2];
          };
        else
          bindParams = (env, args) => {
            for (let i = 0; i < n; i++) env[paramSlots[i]!] = args[i];
          };
      } else {
        const binders = params.map((p, i) => {
          const target = ts.isIdentifier(p.name) ? this.bindingInit(p.name.text) : this.pattern(p.name, 'init');
          const dflt = p.initializer ? this.expr(p.initializer, ts.isIdentifier(p.name) ? p.name.text : undefined) : undefined;
          if (p.dotDotDotToken) return (env: Env, args: Value[]) => target(env, this.R.newArray(args.slice(i)));
          return (env: Env, args: Value[]) => {
            let v = args[i];
            if (v === undefined && dflt) v = dflt(env);
            target(env, v);
          };
        });
        bindParams = (env, args) => {
          for (const b of binders) b(env, args);
        };
      }
      let bodyStmt: Stmt | undefined;
      let exprBody: Expr | undefined;
      let bodyInit: ((env: Env) => void) | undefined;
      if (opts.fieldInit) {
        exprBody = this.expr(node as TS.Expression, name);
      } else if (body && ts.isBlock(body) && body.statements.length === 1 && ts.isReturnStatement(body.statements[0]!) && body.statements[0].expression) {
        // `{ return e; }` runs like an expression body: no statement completion round trip.
        const ret = body.statements[0];
        const e = this.expr(ret.expression!);
        const site = this.site(ret);
        const realm = this.R;
        exprBody = (env) => {
          realm.site = site;
          return e(env);
        };
      } else if (body && ts.isBlock(body)) {
        this.hoistDeclarations(body.statements, scope, true);
        bodyStmt = this.statementList(body.statements, false);
        bodyInit = this.scopeInit(scope);
      } else if (body) {
        exprBody = this.expr(body as TS.Expression);
      } else this.fail(node, 'a function without a body');
      const R: Realm = this.R;
      const init = bodyInit === noop ? undefined : bodyInit;
      const setup =
        selfSlot < 0 && argsSlot < 0 && init === undefined
          ? bindParams
          : (env: Env, args: Value[], f: Closure): void => {
              if (selfSlot >= 0) env[selfSlot] = f;
              if (argsSlot >= 0) env[argsSlot] = makeArguments(R, args);
              // Parameters first: a function declared in the body replaces a parameter of its name.
              bindParams(env, args);
              if (init) init(env);
            };
      const direct = simple && argsSlot < 0 && !opts.classCtor && paramSlots.every((slot, i) => slot === paramSlots[0]! + i);
      const enter =
        selfSlot < 0 && init === undefined
          ? undefined
          : (env: Env, f: Closure): void => {
              if (selfSlot >= 0) env[selfSlot] = f;
              if (init) init(env);
            };
      const code: CompiledFn = {
        name,
        length,
        size: scope.size,
        arrow: isArrow,
        method: !!opts.method,
        classCtor: !!opts.classCtor,
        derived: !!opts.derived,
        setup,
        paramBase: direct ? (paramSlots.length ? paramSlots[0]! : 1) : -1,
        enter,
        body: bodyStmt,
        exprBody,
        site: this.site(node),
      };
      return code;
    } finally {
      this.scope = outer;
    }
  }

  // ---------------------------------------------------------------- classes

  classNode(node: TS.ClassLikeDeclaration, name: string): (env: Env) => GObj {
    const ts = this.ts;
    const R: Realm = this.R;
    const outer = this.scope;
    const cscope = new Scope(outer, outer.fn, false);
    const innerName = node.name?.text;
    if (innerName) cscope.declare(innerName, 'const');
    const privNames: string[] = [];
    for (const m of node.members) if (m.name && ts.isPrivateIdentifier(m.name) && !privNames.includes(m.name.text)) privNames.push(m.name.text);
    for (const p of privNames) cscope.declare(p, 'internal');
    this.scope = cscope;
    try {
      const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const superE = heritage ? this.expr(heritage) : undefined;
      const derived = heritage !== undefined;
      const ctorNode = node.members.find((m): m is TS.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
      let ctorCode: CompiledFn;
      if (ctorNode) ctorCode = this.compileFunction(ctorNode, name, { classCtor: true, derived });
      else ctorCode = this.defaultConstructor(node, name, derived);
      type Member = (env: Env, C: Closure, proto: GObj, instanceFields: FieldDef[], statics: (() => void)[]) => void;
      const members: Member[] = [];
      for (const m of node.members) {
        if (ts.canHaveDecorators(m) && ts.getDecorators(m)?.length) this.fail(m, 'decorators (the module loader must return JavaScript)');
        if (ts.isConstructorDeclaration(m) || ts.isSemicolonClassElement(m) || ts.isIndexSignatureDeclaration(m)) continue;
        const isStatic = ts.isClassStaticBlockDeclaration(m) || !!(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword));
        if (ts.isClassStaticBlockDeclaration(m)) {
          const code = this.compileFunction(m, 'static', { method: true });
          members.push((env, C, _p, _f, statics) => {
            const f = new Closure(R, code, env, R.FunctionPrototype, '');
            f.home = C;
            statics.push(() => void f.invoke(C, []));
          });
          continue;
        }
        const mname = m.name!;
        const keyE = this.propertyKey(mname);
        const isPriv = ts.isPrivateIdentifier(mname);
        const privSlot = isPriv ? cscope.names.get(mname.text)!.slot : -1;
        const staticName = ts.isIdentifier(mname) || ts.isStringLiteral(mname) || ts.isNumericLiteral(mname) || ts.isPrivateIdentifier(mname) ? mname.text : undefined;
        if (ts.isPropertyDeclaration(m)) {
          if (m.modifiers?.some((x) => x.kind === ts.SyntaxKind.DeclareKeyword || x.kind === ts.SyntaxKind.AbstractKeyword)) continue;
          const initCode = m.initializer ? this.compileFunction(m.initializer, staticName ?? '', { method: true, fieldInit: true }) : undefined;
          members.push((env, C, proto, fields, statics) => {
            const key: Key | PrivateName = isPriv ? (env[privSlot] as PrivateName) : keyE(env);
            const init = initCode ? new Closure(R, initCode, env, R.FunctionPrototype, '') : undefined;
            if (init) init.home = isStatic ? C : proto;
            const fd: FieldDef = { key, init, kind: 'field' };
            if (isStatic) statics.push(() => initFields(R, C, [fd]));
            else fields.push(fd);
          });
          continue;
        }
        if (ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
          if (!m.body) continue;
          const kind = ts.isMethodDeclaration(m) ? 'method' : ts.isGetAccessorDeclaration(m) ? 'get' : 'set';
          const code = this.compileFunction(m, staticName ?? '', { method: true });
          members.push((env, C, proto, fields) => {
            const target = isStatic ? C : proto;
            const key: Key | PrivateName = isPriv ? (env[privSlot] as PrivateName) : keyE(env);
            const fname = (kind === 'method' ? '' : kind + ' ') + (key instanceof PrivateName ? key.name : typeof key === 'symbol' ? `[${key.description ?? ''}]` : key);
            const f = new Closure(R, code, env, R.FunctionPrototype, fname);
            f.home = target;
            if (key instanceof PrivateName) {
              const fd: FieldDef = { key, init: undefined, kind, value: f };
              if (isStatic) initFields(R, C, [fd]);
              else fields.unshift(fd);
              return;
            }
            if (kind === 'method') target.defineOwn(key, { value: f, writable: true, enumerable: false, configurable: true });
            else target.defineOwn(key, { [kind]: f, enumerable: false, configurable: true });
          });
          continue;
        }
        this.fail(m, `class member ${ts.SyntaxKind[m.kind]}`);
      }
      const innerSlot = innerName ? cscope.names.get(innerName)!.slot : -1;
      const size = cscope.size;
      const privSlots = privNames.map((p) => cscope.names.get(p)!.slot);
      return (env0) => {
        const env = new Array(size);
        env[0] = env0;
        if (innerSlot >= 0) env[innerSlot] = TDZ;
        for (let i = 0; i < privSlots.length; i++) env[privSlots[i]!] = new PrivateName(privNames[i]!);
        let protoParent: GObj | null = R.ObjectPrototype;
        let ctorParent: GObj = R.FunctionPrototype;
        if (superE) {
          const sup = superE(env);
          if (sup === null) protoParent = null;
          else {
            if (!(sup instanceof GFunction) || !sup.isConstructor) R.typeError(`Class extends value ${R.describe(sup)} is not a constructor or null`);
            const pp = sup.get('prototype', sup);
            if (pp !== null && !(pp instanceof GObj)) R.typeError('Class extends value does not have valid prototype property');
            protoParent = pp as GObj | null;
            ctorParent = sup;
          }
        }
        const proto = new GObj(protoParent);
        const C = new Closure(R, ctorCode, env, ctorParent, name);
        C.home = proto;
        C.props.set('length', new Slot(ctorCode.length, undefined, undefined, CONFIGURABLE));
        C.props.set('name', new Slot(name, undefined, undefined, CONFIGURABLE));
        C.props.set('prototype', new Slot(proto, undefined, undefined, 0));
        (C as unknown as { materialized: boolean }).materialized = true;
        proto.put('constructor', C);
        const fields: FieldDef[] = [];
        const statics: (() => void)[] = [];
        for (const mem of members) mem(env, C, proto, fields, statics);
        C.fields = fields.length ? fields : undefined;
        if (innerSlot >= 0) env[innerSlot] = C;
        for (const s of statics) s();
        return C;
      };
    } finally {
      this.scope = outer;
    }
  }

  private defaultConstructor(node: TS.ClassLikeDeclaration, name: string, derived: boolean): CompiledFn {
    const R: Realm = this.R;
    const scope = new Scope(this.scope, new FnInfo(false), true);
    scope.declare('%this', 'internal');
    scope.declare('%nt', 'internal');
    scope.declare('%fn', 'internal');
    return {
      name,
      length: 0,
      size: scope.size,
      arrow: false,
      method: false,
      classCtor: true,
      derived,
      setup: derived
        ? (env, args, f) => {
            const parent = f.getProto();
            if (!(parent instanceof GFunction) || !parent.isConstructor) R.typeError('Super constructor is not a constructor');
            const obj = R.construct(parent, args, env[NEW_TARGET]);
            env[THIS] = obj;
            if (f.fields) initFields(R, obj as GObj, f.fields);
          }
        : () => undefined,
      paramBase: -1,
      enter: undefined,
      body: () => undefined,
      exprBody: undefined,
      site: this.site(node),
    };
  }

  // ---------------------------------------------------------------- expressions

  private propertyKey(n: TS.PropertyName): (env: Env) => Key {
    const ts = this.ts;
    const R: Realm = this.R;
    if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isPrivateIdentifier(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
      const k = n.text;
      return () => k;
    }
    if (ts.isNumericLiteral(n)) {
      const k = String(numberLiteral(n.text));
      return () => k;
    }
    if (ts.isBigIntLiteral(n)) {
      const k = String(BigInt(n.text.slice(0, -1)));
      return () => k;
    }
    if (ts.isComputedPropertyName(n)) {
      const e = this.expr(n.expression);
      return (env) => R.toKey(e(env));
    }
    return this.fail(n, 'this property name');
  }

  /** Reads a hidden binding (%this, %nt, %fn) through arrow functions to the enclosing function. */
  private hidden(name: '%this' | '%nt' | '%fn', node: TS.Node): { hops: number; slot: number } {
    const r = this.scope.resolve(name);
    if (!r) this.fail(node, name.slice(1));
    return { hops: r.hops, slot: r.binding.slot };
  }

  private readIdentifier(name: string, node: TS.Node): Expr {
    const R: Realm = this.R;
    if (name === 'undefined' && !this.scope.resolve(name)) return () => undefined;
    const r = this.scope.resolve(name);
    if (!r) {
      const G = R.global;
      return () => {
        const s = G.getOwn(name);
        if (s === undefined) R.throwError('ReferenceError', `${name} is not defined`);
        return s.f & ACCESSOR ? (s.g ? R.call(s.g, G, []) : undefined) : s.v;
      };
    }
    const b = r.binding;
    const slot = b.slot;
    const hops = r.hops;
    if (b.kind === 'import') return this.importRead(b, name);
    const afterDecl = b.declEnd !== undefined && r.sameFn && node.pos >= b.declEnd;
    if (!b.tdz || afterDecl) {
      if (hops === 0) return (env) => env[slot];
      if (hops === 1) return (env) => env[0][slot];
      if (hops === 2) return (env) => env[0][0][slot];
      return (env) => envAt(env, hops)[slot];
    }
    const tdz = (): never => R.throwError('ReferenceError', `Cannot access '${name}' before initialization`);
    if (hops === 0)
      return (env) => {
        const v = env[slot];
        return v === TDZ ? tdz() : v;
      };
    if (hops === 1)
      return (env) => {
        const v = env[0][slot];
        return v === TDZ ? tdz() : v;
      };
    return (env) => {
      const v = envAt(env, hops)[slot];
      return v === TDZ ? tdz() : v;
    };
  }

  private importRead(b: Binding, name: string): Expr {
    const R: Realm = this.R;
    let cell: { env: Env; slot: number } | undefined;
    return () => {
      if (cell === undefined) cell = b.importCell!();
      const v = cell.env[cell.slot];
      if (v === TDZ) R.throwError('ReferenceError', `Cannot access '${name}' before initialization`);
      return v;
    };
  }

  /** Assignment to an existing binding (not its initialisation). */
  private assignIdentifier(name: string, node: TS.Node): (env: Env, v: Value) => void {
    const R: Realm = this.R;
    const r = this.scope.resolve(name);
    if (!r) {
      const G = R.global;
      return (_env, v) => {
        if (!G.has(name)) R.throwError('ReferenceError', `${name} is not defined`);
        R.set(G, name, v);
      };
    }
    const b = r.binding;
    const { hops } = r;
    const slot = b.slot;
    if (b.kind === 'const' || b.kind === 'import' || b.kind === 'internal')
      return (env) => {
        if (b.kind === 'const' && envAt(env, hops)[slot] === TDZ) R.throwError('ReferenceError', `Cannot access '${name}' before initialization`);
        R.typeError('Assignment to constant variable.');
      };
    // Like reads, writes after the declaration in the same function cannot hit the TDZ.
    const afterDecl = b.declEnd !== undefined && r.sameFn && node.pos >= b.declEnd;
    if (!b.tdz || afterDecl) {
      if (hops === 0)
        return (env, v) => {
          env[slot] = v;
        };
      return (env, v) => {
        envAt(env, hops)[slot] = v;
      };
    }
    return (env, v) => {
      const e = envAt(env, hops);
      if (e[slot] === TDZ) R.throwError('ReferenceError', `Cannot access '${name}' before initialization`);
      e[slot] = v;
    };
  }

  /** A binding or assignment target for destructuring: `init` declares, `assign` assigns. */
  pattern(n: TS.BindingName | TS.Expression, mode: 'init' | 'assign'): (env: Env, v: Value) => void {
    const ts = this.ts;
    const R: Realm = this.R;
    if (ts.isIdentifier(n)) return mode === 'init' ? this.bindingInit(n.text) : this.assignIdentifier(n.text, n);
    if (ts.isObjectBindingPattern(n) || ts.isObjectLiteralExpression(n)) {
      type Prop = { key?: (env: Env) => Key; target: (env: Env, v: Value) => void; dflt?: Expr; rest: boolean };
      const props: Prop[] = [];
      if (ts.isObjectBindingPattern(n)) {
        for (const el of n.elements) {
          const key = el.dotDotDotToken ? undefined : this.propertyKey(el.propertyName ?? (el.name as TS.Identifier));
          props.push({ key, target: this.pattern(el.name, mode), dflt: el.initializer ? this.expr(el.initializer, ts.isIdentifier(el.name) ? el.name.text : undefined) : undefined, rest: !!el.dotDotDotToken });
        }
      } else {
        for (const p of n.properties) {
          if (ts.isShorthandPropertyAssignment(p)) {
            const k = p.name.text;
            props.push({ key: () => k, target: this.pattern(p.name, mode), dflt: p.objectAssignmentInitializer ? this.expr(p.objectAssignmentInitializer, k) : undefined, rest: false });
          } else if (ts.isPropertyAssignment(p)) {
            let t: TS.Expression = p.initializer;
            let dflt: Expr | undefined;
            if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
              dflt = this.expr(t.right);
              t = t.left;
            }
            props.push({ key: this.propertyKey(p.name), target: this.assignTarget(t), dflt, rest: false });
          } else if (ts.isSpreadAssignment(p)) {
            props.push({ target: this.assignTarget(p.expression), rest: true });
          } else this.fail(p, 'this destructuring element');
        }
      }
      return (env, v) => {
        if (v === undefined || v === null) R.typeError(`Cannot destructure '${String(v)}' as it is ${String(v)}.`);
        const used: Key[] = [];
        for (const p of props) {
          if (p.rest) {
            const o = R.newObject();
            copyDataProperties(R, o, v, used);
            p.target(env, o);
            continue;
          }
          const k = p.key!(env);
          used.push(k);
          let x = R.get(v, k);
          if (x === undefined && p.dflt) x = p.dflt(env);
          p.target(env, x);
        }
      };
    }
    if (ts.isArrayBindingPattern(n) || ts.isArrayLiteralExpression(n)) {
      type El = { skip: boolean; rest: boolean; target?: (env: Env, v: Value) => void; dflt?: Expr };
      const els: El[] = [];
      for (const el of n.elements as readonly TS.Node[]) {
        if (ts.isOmittedExpression(el)) els.push({ skip: true, rest: false });
        else if (ts.isBindingElement(el))
          els.push({ skip: false, rest: !!el.dotDotDotToken, target: this.pattern(el.name, mode), dflt: el.initializer ? this.expr(el.initializer, ts.isIdentifier(el.name) ? el.name.text : undefined) : undefined });
        else if (ts.isSpreadElement(el)) els.push({ skip: false, rest: true, target: this.assignTarget(el.expression) });
        else {
          let t = el as TS.Expression;
          let dflt: Expr | undefined;
          if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
            dflt = this.expr(t.right, ts.isIdentifier(t.left) ? t.left.text : undefined);
            t = t.left;
          }
          els.push({ skip: false, rest: false, target: this.assignTarget(t), dflt });
        }
      }
      return (env, v) => {
        if (R.fastArray(v)) {
          const items = v.items;
          for (let i = 0; i < els.length; i++) {
            const el = els[i]!;
            if (el.skip) continue;
            if (el.rest) {
              el.target!(env, R.newArray(items.slice(i).map((x, j) => (x === HOLE ? v.getIndex(i + j) : x))));
              continue;
            }
            let x = i < items.length ? (items[i] === HOLE ? v.getIndex(i) : (items[i] as Value)) : undefined;
            if (x === undefined && el.dflt) x = el.dflt(env);
            el.target!(env, x);
          }
          return;
        }
        const { it, next } = R.getIterator(v);
        let done = false;
        const step = (): Value => {
          if (done) return undefined;
          const r = R.call(next, it, []);
          if (!(r instanceof GObj)) R.typeError('Iterator result is not an object');
          if (R.toBoolean(r.get('done', r))) {
            done = true;
            return undefined;
          }
          return r.get('value', r);
        };
        try {
          for (const el of els) {
            if (el.rest) {
              const rest: Value[] = [];
              for (;;) {
                const x = step();
                if (done) break;
                rest.push(x);
              }
              el.target!(env, R.newArray(rest));
              continue;
            }
            let x = step();
            if (el.skip) continue;
            if (x === undefined && el.dflt) x = el.dflt(env);
            el.target!(env, x);
          }
        } catch (e) {
          if (!done && e instanceof GuestThrow) R.closeIteratorQuietly(it);
          throw e;
        }
        if (!done) R.closeIterator(it);
      };
    }
    return this.fail(n, 'this binding pattern');
  }

  /** An assignment target expression: identifier, member, or nested pattern. */
  private assignTarget(n: TS.Node): (env: Env, v: Value) => void {
    const ts = this.ts;
    const R: Realm = this.R;
    if (ts.isParenthesizedExpression(n)) return this.assignTarget(n.expression);
    if (ts.isIdentifier(n)) return this.assignIdentifier(n.text, n);
    if (ts.isPropertyAccessExpression(n)) {
      const o = this.expr(n.expression);
      if (ts.isPrivateIdentifier(n.name)) {
        const pn = this.privateName(n.name);
        return (env, v) => privSet(R, o(env), pn(env), v);
      }
      const k = n.name.text;
      return (env, v) => R.set(o(env), k, v);
    }
    if (ts.isElementAccessExpression(n)) {
      const o = this.expr(n.expression);
      const k = this.expr(n.argumentExpression);
      return (env, v) => {
        const ob = o(env);
        R.set(ob, k(env), v);
      };
    }
    if (ts.isObjectLiteralExpression(n) || ts.isArrayLiteralExpression(n)) return this.pattern(n, 'assign');
    return this.fail(n, 'this assignment target');
  }

  private privateName(n: TS.PrivateIdentifier): (env: Env) => PrivateName {
    const r = this.scope.resolve(n.text);
    if (!r) this.fail(n, `private name ${n.text} outside its class`);
    const { hops } = r;
    const slot = r.binding.slot;
    return (env) => envAt(env, hops)[slot];
  }

  expr(n: TS.Expression, nameHint?: string): Expr {
    const e = this.expr0(n, nameHint);
    const ts = this.ts;
    if (ts.isOptionalChain(n) && !(n.parent && ts.isOptionalChain(n.parent) && (n.parent as TS.PropertyAccessExpression).expression === n)) {
      return (env) => {
        const v = e(env);
        return v === (SHORT as unknown) ? undefined : v;
      };
    }
    return e;
  }

  /** Compiles a chain link without ending the chain (SHORT passes through). */
  private chainLink(n: TS.Expression): Expr {
    return this.ts.isOptionalChain(n) ? this.expr0(n) : this.expr(n);
  }

  private expr0(n: TS.Expression, nameHint?: string): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const K = ts.SyntaxKind;
    switch (n.kind) {
      case K.NumericLiteral: {
        const v = numberLiteral((n as TS.NumericLiteral).text);
        return () => v;
      }
      case K.BigIntLiteral: {
        const v = BigInt((n as TS.BigIntLiteral).text.slice(0, -1).replace(/_/g, ''));
        return () => v;
      }
      case K.StringLiteral:
      case K.NoSubstitutionTemplateLiteral: {
        const v = (n as TS.StringLiteral).text;
        return () => v;
      }
      case K.TrueKeyword:
        return () => true;
      case K.FalseKeyword:
        return () => false;
      case K.NullKeyword:
        return () => null;
      case K.Identifier:
        return this.readIdentifier((n as TS.Identifier).text, n);
      case K.ThisKeyword: {
        const { hops, slot } = this.hidden('%this', n);
        // Only a derived constructor's `this` can be uninitialised.
        if (!this.scope.resolve('%this')!.scope.fn.derivedCtor) {
          if (hops === 0) return (env) => env[slot];
          if (hops === 1) return (env) => env[0][slot];
          return (env) => envAt(env, hops)[slot];
        }
        return (env) => {
          const v = envAt(env, hops)[slot];
          if (v === TDZ) R.throwError('ReferenceError', "Must call super constructor in derived class before accessing 'this'");
          return v;
        };
      }
      case K.ParenthesizedExpression:
        return this.expr((n as TS.ParenthesizedExpression).expression, nameHint);
      case K.AsExpression:
      case K.NonNullExpression:
      case K.TypeAssertionExpression:
      case K.SatisfiesExpression:
        return this.expr((n as TS.AsExpression).expression, nameHint);
      case K.TemplateExpression:
        return this.template(n as TS.TemplateExpression);
      case K.TaggedTemplateExpression:
        return this.taggedTemplate(n as TS.TaggedTemplateExpression);
      case K.RegularExpressionLiteral: {
        const text = (n as TS.RegularExpressionLiteral).text;
        const i = text.lastIndexOf('/');
        const pattern = text.slice(1, i);
        const flags = text.slice(i + 1);
        return () => R.construct(R.intrinsics.RegExp, [pattern, flags]);
      }
      case K.ArrayLiteralExpression:
        return this.arrayLiteral(n as TS.ArrayLiteralExpression);
      case K.ObjectLiteralExpression:
        return this.objectLiteral(n as TS.ObjectLiteralExpression);
      case K.FunctionExpression:
      case K.ArrowFunction: {
        const fe = n as TS.FunctionExpression;
        return this.functionNode(fe, fe.name?.text ?? nameHint ?? '');
      }
      case K.ClassExpression: {
        const ce = n as TS.ClassExpression;
        return this.classNode(ce, ce.name?.text ?? nameHint ?? '');
      }
      case K.PropertyAccessExpression:
        return this.propertyAccess(n as TS.PropertyAccessExpression);
      case K.ElementAccessExpression:
        return this.elementAccess(n as TS.ElementAccessExpression);
      case K.CallExpression:
        return this.call(n as TS.CallExpression);
      case K.NewExpression:
        return this.newExpr(n as TS.NewExpression);
      case K.PrefixUnaryExpression:
        return this.prefix(n as TS.PrefixUnaryExpression);
      case K.PostfixUnaryExpression:
        return this.update(n as TS.PostfixUnaryExpression, false);
      case K.TypeOfExpression: {
        const x = (n as TS.TypeOfExpression).expression;
        if (ts.isIdentifier(x) && !this.scope.resolve(x.text)) {
          const name = x.text;
          return () => {
            const s = R.global.getOwn(name);
            return s === undefined ? 'undefined' : R.typeOf(R.get(R.global, name));
          };
        }
        const e = this.expr(x);
        return (env) => R.typeOf(e(env));
      }
      case K.VoidExpression: {
        const e = this.expr((n as TS.VoidExpression).expression);
        return (env) => {
          e(env);
          return undefined;
        };
      }
      case K.DeleteExpression: {
        const x = skipParens(ts, (n as TS.DeleteExpression).expression);
        if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
          const o = this.expr(x.expression);
          const k = ts.isPropertyAccessExpression(x) ? constant(x.name.text) : this.expr(x.argumentExpression);
          return (env) => R.deleteProp(o(env), k(env));
        }
        const e = this.expr(x);
        return (env) => {
          e(env);
          return true;
        };
      }
      case K.ConditionalExpression: {
        const c = n as TS.ConditionalExpression;
        const t = this.expr(c.condition);
        const a = this.expr(c.whenTrue, nameHint);
        const b = this.expr(c.whenFalse, nameHint);
        return (env) => {
          const v = t(env);
          return v instanceof GObj || v ? a(env) : b(env);
        };
      }
      case K.BinaryExpression:
        return this.binary(n as TS.BinaryExpression, nameHint);
      case K.SpreadElement:
        return this.fail(n, 'spread in this position');
      case K.MetaProperty: {
        const mp = n as TS.MetaProperty;
        if (mp.keywordToken === K.NewKeyword) {
          const { hops, slot } = this.hidden('%nt', n);
          return (env) => envAt(env, hops)[slot];
        }
        return this.fail(n, 'import.meta');
      }
      case K.YieldExpression:
        return this.fail(n, 'yield (corosplit lowers generators before evaluation; this code was not lowered)');
      case K.AwaitExpression:
        return this.fail(n, 'await (corosplit lowers async functions before evaluation; this code was not lowered)');
      case K.CommaListExpression: {
        const es = (n as TS.CommaListExpression).elements.map((x) => this.expr(x));
        return (env) => {
          let v: Value;
          for (const e of es) v = e(env);
          return v;
        };
      }
      case K.SuperKeyword:
        return this.fail(n, 'bare super');
      case K.ImportKeyword:
        return this.fail(n, 'dynamic import()');
    }
    return this.fail(n, `expression ${ts.SyntaxKind[n.kind]}`);
  }

  private template(n: TS.TemplateExpression): Expr {
    const R: Realm = this.R;
    const head = n.head.text;
    const parts = n.templateSpans.map((s) => ({ e: this.expr(s.expression), lit: s.literal.text }));
    return (env) => {
      let s = head;
      let longest = head.length;
      for (const p of parts) {
        const v = p.e(env);
        const t = typeof v === 'string' ? v : R.toString(v);
        if (t.length > longest) longest = t.length;
        s += t + p.lit;
      }
      if (s.length > 65536 && s.length > R.maxStringLength) R.checkString(s);
      // as for +: what is added to the longest part (`${s}x` in a loop costs the x)
      R.chargeString(s.length - longest);
      return s;
    };
  }

  private taggedTemplate(n: TS.TaggedTemplateExpression): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const tpl = n.template;
    const cooked: (string | undefined)[] = [];
    const raw: string[] = [];
    const exprs: Expr[] = [];
    const rawOf = (lit: TS.TemplateLiteralLikeNode): string => lit.rawText ?? lit.text;
    if (ts.isNoSubstitutionTemplateLiteral(tpl)) {
      cooked.push(tpl.text);
      raw.push(rawOf(tpl));
    } else {
      cooked.push(tpl.head.text);
      raw.push(rawOf(tpl.head));
      for (const s of tpl.templateSpans) {
        exprs.push(this.expr(s.expression));
        cooked.push(s.literal.text);
        raw.push(rawOf(s.literal));
      }
    }
    const { callee, thisOf } = this.callee(n.tag);
    const site = this.site(n);
    return (env) => {
      let strings = this.templateCache.get(n);
      if (!strings) {
        strings = R.newArray(cooked);
        const r = R.newArray(raw);
        r.frozenElems = true;
        r.extensible = false;
        r.lengthWritable = false;
        strings.put('raw', r, 0);
        strings.frozenElems = true;
        strings.extensible = false;
        strings.lengthWritable = false;
        this.templateCache.set(n, strings);
      }
      const f = callee(env);
      const t = thisOf();
      const args: Value[] = [strings];
      for (const e of exprs) args.push(e(env));
      R.site = site;
      return R.call(f, t, args);
    };
  }

  private arrayLiteral(n: TS.ArrayLiteralExpression): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const simple = n.elements.every((e) => !ts.isSpreadElement(e) && !ts.isOmittedExpression(e));
    if (simple) {
      const es = n.elements.map((e) => this.expr(e));
      const len = es.length;
      return (env) => {
        const items = new Array<Value>(len);
        for (let i = 0; i < len; i++) items[i] = es[i]!(env);
        return R.newArray(items);
      };
    }
    const parts = n.elements.map((e) => {
      if (ts.isOmittedExpression(e)) return { kind: 0 as const };
      if (ts.isSpreadElement(e)) return { kind: 2 as const, e: this.expr(e.expression) };
      return { kind: 1 as const, e: this.expr(e) };
    });
    return (env) => {
      const items: (Value | typeof HOLE)[] = [];
      for (const p of parts) {
        if (p.kind === 0) items.push(HOLE);
        else if (p.kind === 1) items.push(p.e(env));
        else {
          const src = p.e(env);
          R.iterate(src, (x) => {
            if ((items.length & 1023) === 0) R.charge(1024);
            items.push(x);
          });
        }
      }
      return R.newArray(items as Value[]);
    };
  }

  private objectLiteral(n: TS.ObjectLiteralExpression): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    type Part = (env: Env, o: GObj) => void;
    const parts: Part[] = [];
    for (const p of n.properties) {
      if (ts.isPropertyAssignment(p)) {
        if ((ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === '__proto__') {
          const e = this.expr(p.initializer);
          parts.push((env, o) => {
            const v = e(env);
            if (v === null || v instanceof GObj) o.setProto(v);
          });
          continue;
        }
        const k = this.propertyKey(p.name);
        const hint = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : undefined;
        const e = this.expr(p.initializer, hint);
        parts.push((env, o) => {
          const key = k(env);
          const v = e(env);
          if (v instanceof Closure && v.fname === '' && ts.isComputedPropertyName(p.name)) v.fname = typeof key === 'symbol' ? `[${key.description ?? ''}]` : key;
          R.defineData(o, key, v);
        });
      } else if (ts.isShorthandPropertyAssignment(p)) {
        const k = p.name.text;
        const e = this.readIdentifier(k, p.name);
        parts.push((env, o) => R.defineData(o, k, e(env)));
      } else if (ts.isSpreadAssignment(p)) {
        const e = this.expr(p.expression);
        parts.push((env, o) => copyDataProperties(R, o, e(env), []));
      } else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
        const k = this.propertyKey(p.name);
        const kind = ts.isMethodDeclaration(p) ? 'method' : ts.isGetAccessorDeclaration(p) ? 'get' : 'set';
        const staticName = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name) ? p.name.text : '';
        const code = this.compileFunction(p, staticName, { method: true });
        parts.push((env, o) => {
          const key = k(env);
          const nm = typeof key === 'symbol' ? `[${key.description ?? ''}]` : key;
          const f = new Closure(R, code, env, R.FunctionPrototype, kind === 'method' ? nm : `${kind} ${nm}`);
          f.home = o;
          if (kind === 'method') R.defineData(o, key, f);
          else o.defineOwn(key, { [kind]: f, enumerable: true, configurable: true });
        });
      } else this.fail(p, 'this object literal member');
    }
    // Literals of plain `key: value` / shorthand members with distinct static keys (the common case)
    // fill the property map directly instead of going through [[DefineOwnProperty]].
    const simpleKeys: string[] = [];
    const simpleVals: Expr[] = [];
    for (const p of n.properties) {
      if (ts.isShorthandPropertyAssignment(p) && !p.objectAssignmentInitializer) {
        simpleKeys.push(p.name.text);
        simpleVals.push(this.readIdentifier(p.name.text, p.name));
      } else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text !== '__proto__' && arrayIndexLike(p.name.text) === false) {
        simpleKeys.push(p.name.text);
        simpleVals.push(this.expr(p.initializer, p.name.text));
      } else break;
    }
    if (simpleKeys.length === n.properties.length && new Set(simpleKeys).size === simpleKeys.length) {
      const cnt = simpleKeys.length;
      return (env) => {
        const o = new GObj(R.ObjectPrototype);
        if (cnt > 0) R.chargeHeap(40 * cnt);
        const props = o.props;
        for (let i = 0; i < cnt; i++) props.set(simpleKeys[i]!, new Slot(simpleVals[i]!(env), undefined, undefined, DEFAULT_DATA));
        return o;
      };
    }
    return (env) => {
      const o = new GObj(R.ObjectPrototype);
      for (let i = 0; i < parts.length; i++) parts[i]!(env, o);
      return o;
    };
  }

  private superBase(node: TS.Node): { home: (env: Env) => GObj | null; thisE: Expr } {
    const fnRef = this.hidden('%fn', node);
    const thisRef = this.hidden('%this', node);
    const R: Realm = this.R;
    return {
      home: (env) => {
        const f = envAt(env, fnRef.hops)[fnRef.slot] as Closure | undefined;
        if (!f || !f.home) R.throwError('SyntaxError', "'super' keyword unexpected here");
        return f.home.getProto();
      },
      thisE: (env) => {
        const t = envAt(env, thisRef.hops)[thisRef.slot];
        if (t === TDZ) R.throwError('ReferenceError', "Must call super constructor in derived class before accessing 'this'");
        return t;
      },
    };
  }

  private propertyAccess(n: TS.PropertyAccessExpression): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    if (n.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const { home, thisE } = this.superBase(n);
      const k = n.name.text;
      return (env) => {
        const p = home(env);
        return p === null ? undefined : p.get(k, thisE(env));
      };
    }
    const o = this.chainLink(n.expression);
    const opt = !!n.questionDotToken;
    if (ts.isPrivateIdentifier(n.name)) {
      const pn = this.privateName(n.name);
      return (env) => {
        const ob = o(env);
        if (ob === (SHORT as unknown) || (opt && (ob === undefined || ob === null))) return SHORT as unknown as Value;
        return privGet(R, ob, pn(env));
      };
    }
    const k = n.name.text;
    if (opt || ts.isOptionalChain(n))
      return (env) => {
        const ob = o(env);
        if (ob === (SHORT as unknown) || (opt && (ob === undefined || ob === null))) return SHORT as unknown as Value;
        return ob instanceof GObj ? ob.get(k, ob) : R.getPrimitive(ob, k);
      };
    return (env) => {
      const ob = o(env);
      return ob instanceof GObj ? getNamed(ob, k) : R.getPrimitive(ob, k);
    };
  }

  private elementAccess(n: TS.ElementAccessExpression): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const k = this.expr(n.argumentExpression);
    if (n.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const { home, thisE } = this.superBase(n);
      return (env) => {
        const p = home(env);
        return p === null ? undefined : p.get(R.toKey(k(env)), thisE(env));
      };
    }
    const o = this.chainLink(n.expression);
    const opt = !!n.questionDotToken;
    if (opt || ts.isOptionalChain(n))
      return (env) => {
        const ob = o(env);
        if (ob === (SHORT as unknown) || (opt && (ob === undefined || ob === null))) return SHORT as unknown as Value;
        return R.get(ob, k(env));
      };
    return (env) => {
      const ob = o(env);
      const key = k(env);
      if (typeof key === 'number') {
        if (ob instanceof GArray) {
          if (key >= 0 && key < ob.items.length) {
            const v = ob.items[key];
            if (v !== HOLE) return v;
          }
        } else if (typeof ob === 'string') {
          if (key >= 0 && key < ob.length && Number.isInteger(key)) return ob[key];
        } else if (ob instanceof GObj && ob.cls === 'TypedArray') {
          const st = ob.internal as { length: number; view: ArrayLike<Value> };
          if (key >= 0 && key < st.length && Number.isInteger(key)) return st.view[key];
        }
      }
      return R.get(ob, key);
    };
  }

  private args(list: readonly TS.Expression[] | undefined): (env: Env) => Value[] {
    const ts = this.ts;
    const R: Realm = this.R;
    if (!list || list.length === 0) return () => EMPTY_ARGS;
    if (list.every((a) => !ts.isSpreadElement(a))) {
      const es = list.map((a) => this.expr(a));
      if (es.length === 1) {
        const a0 = es[0]!;
        return (env) => [a0(env)];
      }
      if (es.length === 2) {
        const a0 = es[0]!;
        const a1 = es[1]!;
        return (env) => [a0(env), a1(env)];
      }
      return (env) => {
        const out = new Array<Value>(es.length);
        for (let i = 0; i < es.length; i++) out[i] = es[i]!(env);
        return out;
      };
    }
    const parts = list.map((a) => (ts.isSpreadElement(a) ? { spread: true, e: this.expr(a.expression) } : { spread: false, e: this.expr(a) }));
    return (env) => {
      const out: Value[] = [];
      for (const p of parts) {
        if (p.spread) for (const x of R.listFrom(p.e(env))) out.push(x);
        else out.push(p.e(env));
      }
      return out;
    };
  }

  /** The callee of a call and how to get its `this` (evaluated together, in order). */
  private callee(n: TS.Expression): { callee: Expr; thisOf: () => Value } {
    const ts = this.ts;
    const R: Realm = this.R;
    const x = skipParens(ts, n);
    if ((ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) && x.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      let thisVal: Value;
      const o = this.chainLink(x.expression);
      const opt = !!x.questionDotToken;
      const chain = opt || ts.isOptionalChain(x);
      if (ts.isPropertyAccessExpression(x)) {
        if (ts.isPrivateIdentifier(x.name)) {
          const pn = this.privateName(x.name);
          return {
            callee: (env) => {
              const ob = o(env);
              if (chain && (ob === (SHORT as unknown) || (opt && (ob === undefined || ob === null)))) return SHORT as unknown as Value;
              thisVal = ob;
              return privGet(R, ob, pn(env));
            },
            thisOf: () => thisVal,
          };
        }
        const k = x.name.text;
        return {
          callee: (env) => {
            const ob = o(env);
            if (chain && (ob === (SHORT as unknown) || (opt && (ob === undefined || ob === null)))) return SHORT as unknown as Value;
            thisVal = ob;
            return ob instanceof GObj ? ob.get(k, ob) : R.getPrimitive(ob, k);
          },
          thisOf: () => thisVal,
        };
      }
      const k = this.expr(x.argumentExpression);
      return {
        callee: (env) => {
          const ob = o(env);
          if (chain && (ob === (SHORT as unknown) || (opt && (ob === undefined || ob === null)))) return SHORT as unknown as Value;
          thisVal = ob;
          return R.get(ob, k(env));
        },
        thisOf: () => thisVal,
      };
    }
    if ((ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) && x.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const { thisE } = this.superBase(x);
      const get = this.expr(x);
      let t: Value;
      return {
        callee: (env) => {
          t = thisE(env);
          return get(env);
        },
        thisOf: () => t,
      };
    }
    return { callee: this.chainLink(x), thisOf: () => undefined };
  }

  private call(n: TS.CallExpression): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const site = this.site(n);
    const args = this.args(n.arguments);
    if (n.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const thisRef = this.hidden('%this', n);
      const fnRef = this.hidden('%fn', n);
      const ntRef = this.hidden('%nt', n);
      return (env) => {
        const fenv = envAt(env, fnRef.hops);
        const f = fenv[fnRef.slot] as Closure;
        const parent = f.getProto();
        const a = args(env);
        if (!(parent instanceof GFunction) || !parent.isConstructor) R.typeError('Super constructor is not a constructor');
        R.site = site;
        const result = R.construct(parent, a, envAt(env, ntRef.hops)[ntRef.slot]);
        const tenv = envAt(env, thisRef.hops);
        if (tenv[thisRef.slot] !== TDZ) R.throwError('ReferenceError', 'Super constructor may only be called once');
        tenv[thisRef.slot] = result;
        if (f.fields) initFields(R, result as GObj, f.fields);
        return undefined;
      };
    }
    const calleeText = n.expression.getText(this.sf).slice(0, 60);
    const notFn0 = (f: Value): never => R.typeError(`${calleeText} is not a function${f === undefined ? '' : ` (it is ${R.describe(f)})`}`);
    const plain = skipParens(ts, n.expression);
    // Argument expressions for direct calls into compiled functions (no spread).
    const argEs = n.arguments.every((a) => !ts.isSpreadElement(a)) ? n.arguments.map((a) => this.expr(a)) : undefined;
    const nargs = argEs?.length ?? 0;
    const a0 = argEs?.[0];
    const a1 = argEs?.[1];
    const a2 = argEs?.[2];
    /** Evaluates the arguments into a fresh environment of `code` (direct call protocol). */
    const fill = (env: Env, code: CompiledFn): Env => {
      const e = new Array(code.size);
      const base = code.paramBase;
      // Arguments beyond the declared parameters are evaluated for their effects only.
      const room = code.length;
      if (nargs > 0) {
        if (room > 0) e[base] = a0!(env);
        else a0!(env);
        if (nargs > 1) {
          if (room > 1) e[base + 1] = a1!(env);
          else a1!(env);
          if (nargs > 2) {
            if (room > 2) e[base + 2] = a2!(env);
            else a2!(env);
            for (let i = 3; i < nargs; i++) {
              const v = argEs![i]!(env);
              if (room > i) e[base + i] = v;
            }
          }
        }
      }
      return e;
    };
    if (!ts.isOptionalChain(n) && ts.isPropertyAccessExpression(plain) && !ts.isPrivateIdentifier(plain.name) && plain.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      // obj.method(args): one closure, no this-capturing helper.
      const o = this.expr(plain.expression);
      const k = plain.name.text;
      return (env) => {
        const ob = o(env);
        const f = ob instanceof GObj ? getNamed(ob, k) : R.getPrimitive(ob, k);
        if (argEs !== undefined && f instanceof Closure && f.code.paramBase >= 0) {
          const e = fill(env, f.code);
          R.site = site;
          return f.invokeDirect(ob, e);
        }
        if (argEs !== undefined && f instanceof NativeFunction) {
          if (nargs === 1 && f.impl1 !== undefined) {
            const x = a0!(env);
            R.site = site;
            return f.impl1(ob, x);
          }
          if (nargs === 2 && f.impl2 !== undefined) {
            const x = a0!(env);
            const y = a1!(env);
            R.site = site;
            return f.impl2(ob, x, y);
          }
        }
        const a = args(env);
        if (!(f instanceof GFunction)) return notFn0(f);
        R.site = site;
        return f.invoke(ob, a);
      };
    }
    if (!ts.isOptionalChain(n) && ts.isIdentifier(plain)) {
      const c = this.expr(plain);
      return (env) => {
        const f = c(env);
        if (argEs !== undefined && f instanceof Closure && f.code.paramBase >= 0) {
          const e = fill(env, f.code);
          R.site = site;
          return f.invokeDirect(undefined, e);
        }
        const a = args(env);
        if (!(f instanceof GFunction)) return notFn0(f);
        R.site = site;
        return f.invoke(undefined, a);
      };
    }
    const { callee, thisOf } = this.callee(n.expression);
    const opt = !!n.questionDotToken;
    const chain = ts.isOptionalChain(n);
    const notFn = (f: Value): never => R.typeError(`${calleeText} is not a function${f === undefined ? '' : ` (it is ${R.describe(f)})`}`);
    return (env) => {
      const f = callee(env);
      if (chain && (f === (SHORT as unknown) || (opt && (f === undefined || f === null)))) return SHORT as unknown as Value;
      const t = thisOf();
      const a = args(env);
      if (!(f instanceof GFunction)) return notFn(f);
      R.site = site;
      return f.invoke(t, a);
    };
  }

  private newExpr(n: TS.NewExpression): Expr {
    const R: Realm = this.R;
    const site = this.site(n);
    const c = this.expr(n.expression);
    const args = this.args(n.arguments);
    const text = n.expression.getText(this.sf).slice(0, 60);
    return (env) => {
      const f = c(env);
      const a = args(env);
      if (!(f instanceof GFunction) || !f.isConstructor) R.typeError(`${text} is not a constructor`);
      R.site = site;
      return f.build(a, f);
    };
  }

  private prefix(n: TS.PrefixUnaryExpression): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const K = ts.SyntaxKind;
    if (n.operator === K.PlusPlusToken || n.operator === K.MinusMinusToken) return this.update(n, true);
    const e = this.expr(n.operand);
    switch (n.operator) {
      case K.ExclamationToken:
        return (env) => {
          const v = e(env);
          return !(v instanceof GObj || v);
        };
      case K.MinusToken:
        return (env) => {
          const v = e(env);
          if (typeof v === 'number') return -v;
          const x = R.toNumeric(v);
          return -(x as number);
        };
      case K.PlusToken:
        return (env) => {
          const v = e(env);
          return typeof v === 'number' ? v : R.toNumber(v);
        };
      case K.TildeToken:
        return (env) => {
          const v = e(env);
          if (typeof v === 'number') return ~v;
          const x = R.toNumeric(v);
          return ~(x as number);
        };
    }
    return this.fail(n, 'this unary operator');
  }

  /** A readable and writable reference, evaluated once: for ++, --, and compound assignment. */
  private reference(n: TS.Expression): (env: Env) => { get: () => Value; set: (v: Value) => void } {
    const ts = this.ts;
    const R: Realm = this.R;
    const x = skipParens(ts, n);
    if (ts.isIdentifier(x)) {
      const get = this.readIdentifier(x.text, x);
      const set = this.assignIdentifier(x.text, x);
      return (env) => ({ get: () => get(env), set: (v) => set(env, v) });
    }
    if (ts.isPropertyAccessExpression(x) && ts.isPrivateIdentifier(x.name)) {
      const o = this.expr(x.expression);
      const pn = this.privateName(x.name);
      return (env) => {
        const ob = o(env);
        const p = pn(env);
        return { get: () => privGet(R, ob, p), set: (v) => privSet(R, ob, p, v) };
      };
    }
    if ((ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) && x.expression.kind !== ts.SyntaxKind.SuperKeyword) {
      const o = this.expr(x.expression);
      const k = ts.isPropertyAccessExpression(x) ? constant(x.name.text) : this.expr(x.argumentExpression);
      return (env) => {
        const ob = o(env);
        const kv = k(env);
        const key = typeof kv === 'number' && ob instanceof GArray ? kv : R.toKey(kv);
        return { get: () => R.get(ob, key), set: (v) => R.set(ob, key, v) };
      };
    }
    return this.fail(n, 'this assignment target');
  }

  private update(n: TS.PrefixUnaryExpression | TS.PostfixUnaryExpression, prefix: boolean): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const inc = n.operator === ts.SyntaxKind.PlusPlusToken;
    const x = skipParens(ts, n.operand);
    const fast = ts.isIdentifier(x) ? this.mutableLocal(x) : undefined;
    if (fast) {
      {
        const { hops, slot } = fast;
        return (env) => {
          const e = hops === 0 ? env : envAt(env, hops);
          const old = e[slot];
          if (typeof old === 'number') {
            const nv = inc ? old + 1 : old - 1;
            e[slot] = nv;
            return prefix ? nv : old;
          }
          const o = R.toNumeric(old);
          const nv = typeof o === 'bigint' ? (inc ? o + 1n : o - 1n) : inc ? o + 1 : o - 1;
          e[slot] = nv;
          return prefix ? nv : o;
        };
      }
    }
    const m = this.memberTarget(n.operand);
    if (m) {
      const { o: oE, k: kE } = m;
      return (env) => {
        const ob = oE(env);
        // The key is converted by the read and again by the write, as V8 does.
        const key = kE(env);
        const old = R.get(ob, key);
        const o = typeof old === 'number' ? old : R.toNumeric(old);
        const nv = typeof o === 'bigint' ? (inc ? o + 1n : o - 1n) : inc ? o + 1 : o - 1;
        R.set(ob, key, nv);
        return prefix ? nv : o;
      };
    }
    const ref = this.reference(n.operand);
    return (env) => {
      const r = ref(env);
      const o = R.toNumeric(r.get());
      const nv = typeof o === 'bigint' ? (inc ? o + 1n : o - 1n) : inc ? o + 1 : o - 1;
      r.set(nv);
      return prefix ? nv : o;
    };
  }

  /** `o.k` / `o[k]` (not private, not super) as separately evaluated object and key. */
  private memberTarget(n: TS.Expression): { o: Expr; k: Expr } | undefined {
    const ts = this.ts;
    const x = skipParens(ts, n);
    if (ts.isPropertyAccessExpression(x) && !ts.isPrivateIdentifier(x.name) && x.expression.kind !== ts.SyntaxKind.SuperKeyword && !ts.isOptionalChain(x))
      return { o: this.expr(x.expression), k: constant(x.name.text) };
    if (ts.isElementAccessExpression(x) && x.expression.kind !== ts.SyntaxKind.SuperKeyword && !ts.isOptionalChain(x)) return { o: this.expr(x.expression), k: this.expr(x.argumentExpression) };
    return undefined;
  }

  private binary(n: TS.BinaryExpression, nameHint?: string): Expr {
    const ts = this.ts;
    const R: Realm = this.R;
    const K = ts.SyntaxKind;
    const op = n.operatorToken.kind;
    if (op === K.EqualsToken) {
      const left = skipParens(ts, n.left);
      if (ts.isObjectLiteralExpression(left) || ts.isArrayLiteralExpression(left)) {
        const bind = this.pattern(left, 'assign');
        const rhs = this.expr(n.right);
        return (env) => {
          const v = rhs(env);
          bind(env, v);
          return v;
        };
      }
      if (ts.isIdentifier(left)) {
        const rhs = this.expr(n.right, left.text);
        const fast = this.mutableLocal(left);
        if (fast && fast.hops === 0) {
          const slot = fast.slot;
          return (env) => (env[slot] = rhs(env));
        }
        if (fast && fast.hops === 1) {
          const slot = fast.slot;
          return (env) => (env[0][slot] = rhs(env));
        }
        if (fast && fast.hops === 2) {
          const slot = fast.slot;
          return (env) => (env[0][0][slot] = rhs(env));
        }
        if (fast) {
          const { hops, slot } = fast;
          return (env) => (envAt(env, hops)[slot] = rhs(env));
        }
        const set = this.assignIdentifier(left.text, left);
        return (env) => {
          const v = rhs(env);
          set(env, v);
          return v;
        };
      }
      if (ts.isPropertyAccessExpression(left) && !ts.isPrivateIdentifier(left.name) && left.expression.kind !== K.SuperKeyword) {
        const o = this.expr(left.expression);
        const k = left.name.text;
        const rhs = this.expr(n.right);
        return (env) => {
          const ob = o(env);
          const v = rhs(env);
          if (ob instanceof GObj) {
            if (!ob.exotic) {
              // An existing writable own data property: the overwhelmingly common case.
              const s = ob.props.get(k);
              if (s !== undefined && (s.f & (ACCESSOR | WRITABLE)) === WRITABLE) {
                s.v = v;
                return v;
              }
            }
            if (!ob.set(k, v, ob)) R.typeError(`Cannot assign to read only property '${k}' of object`);
          } else R.set(ob, k, v);
          return v;
        };
      }
      if (ts.isElementAccessExpression(left) && left.expression.kind !== K.SuperKeyword) {
        const o = this.expr(left.expression);
        const k = this.expr(left.argumentExpression);
        const rhs = this.expr(n.right);
        return (env) => {
          const ob = o(env);
          const key = k(env);
          const v = rhs(env);
          if (typeof key === 'number' && ob instanceof GArray && key >= 0 && key < ob.items.length && ob.items[key] !== HOLE && !ob.frozenElems) ob.items[key] = v;
          else R.set(ob, key, v);
          return v;
        };
      }
      if (ts.isPropertyAccessExpression(left) && ts.isPrivateIdentifier(left.name)) {
        const o = this.expr(left.expression);
        const pn = this.privateName(left.name);
        const rhs = this.expr(n.right);
        return (env) => {
          const ob = o(env);
          const v = rhs(env);
          privSet(R, ob, pn(env), v);
          return v;
        };
      }
      return this.fail(n, 'this assignment target');
    }
    if (op === K.AmpersandAmpersandToken || op === K.BarBarToken || op === K.QuestionQuestionToken) {
      const a = this.expr(n.left);
      const b = this.expr(n.right, nameHint);
      if (op === K.AmpersandAmpersandToken)
        return (env) => {
          const v = a(env);
          return v instanceof GObj || v ? b(env) : v;
        };
      if (op === K.BarBarToken)
        return (env) => {
          const v = a(env);
          return v instanceof GObj || v ? v : b(env);
        };
      return (env) => {
        const v = a(env);
        return v === undefined || v === null ? b(env) : v;
      };
    }
    if (op === K.AmpersandAmpersandEqualsToken || op === K.BarBarEqualsToken || op === K.QuestionQuestionEqualsToken) {
      const ref = this.reference(n.left);
      const b = this.expr(n.right, ts.isIdentifier(n.left) ? n.left.text : undefined);
      return (env) => {
        const r = ref(env);
        const v = r.get();
        const truthy = v instanceof GObj || !!v;
        const assign = op === K.AmpersandAmpersandEqualsToken ? truthy : op === K.BarBarEqualsToken ? !truthy : v === undefined || v === null;
        if (!assign) return v;
        const nv = b(env);
        r.set(nv);
        return nv;
      };
    }
    if (op === K.CommaToken) {
      const a = this.expr(n.left);
      const b = this.expr(n.right);
      return (env) => {
        a(env);
        return b(env);
      };
    }
    if (op === K.InKeyword && ts.isPrivateIdentifier(n.left)) {
      const pn = this.privateName(n.left);
      const o = this.expr(n.right);
      return (env) => {
        const ob = o(env);
        if (!(ob instanceof GObj)) R.typeError("Cannot use 'in' operator to search for a private field in a non-object");
        return ob.priv?.has(pn(env)) ?? false;
      };
    }
    const compound = compoundOps(ts).get(op);
    if (compound !== undefined) {
      const ref = this.reference(n.left);
      const b = this.expr(n.right);
      const f = arith(R, compound);
      const x = skipParens(ts, n.left);
      const fast = ts.isIdentifier(x) ? this.mutableLocal(x) : undefined;
      if (fast) {
        {
          const { hops, slot } = fast;
          return (env) => {
            const e = hops === 0 ? env : envAt(env, hops);
            const v = f(e[slot], b(env));
            e[slot] = v;
            return v;
          };
        }
      }
      const m = this.memberTarget(n.left);
      if (m) {
        const { o: oE, k: kE } = m;
        return (env) => {
          const ob = oE(env);
          const key = kE(env);
          const v = f(R.get(ob, key), b(env));
          R.set(ob, key, v);
          return v;
        };
      }
      return (env) => {
        const r = ref(env);
        const v = f(r.get(), b(env));
        r.set(v);
        return v;
      };
    }
    if ((op === K.EqualsEqualsEqualsToken || op === K.ExclamationEqualsEqualsToken) && ts.isTypeOfExpression(n.left) && ts.isStringLiteral(n.right)) {
      // typeof x === 'function' and friends: compare the type without building the string.
      const t = this.expr(n.left);
      const want = n.right.text;
      const eq = op === K.EqualsEqualsEqualsToken;
      if (want === 'function' && !(ts.isIdentifier(n.left.expression) && !this.scope.resolve(n.left.expression.text))) {
        const x = this.expr(n.left.expression);
        return eq ? (env) => x(env) instanceof GFunction : (env) => !(x(env) instanceof GFunction);
      }
      return eq ? (env) => t(env) === want : (env) => t(env) !== want;
    }
    if ((op === K.EqualsEqualsToken || op === K.ExclamationEqualsToken) && (n.right.kind === K.NullKeyword || (ts.isIdentifier(n.right) && n.right.text === 'undefined' && !this.scope.resolve('undefined')))) {
      // `x == null` / `x != null`: the nullish test, without the general loose-equality algorithm.
      const x = this.expr(n.left);
      return op === K.EqualsEqualsToken
        ? (env) => {
            const v = x(env);
            return v === null || v === undefined;
          }
        : (env) => {
            const v = x(env);
            return v !== null && v !== undefined;
          };
    }
    const a = this.expr(n.left);
    const b = this.expr(n.right);
    const f = arith(R, op);
    return specialize(ts, op, a, b, f, this.constantNumber(n.right), this.localSlot(n.left));
  }

  /** A let/var/param binding that can be read and written without TDZ or const checks here. */
  private mutableLocal(n: TS.Identifier): { hops: number; slot: number } | undefined {
    const r = this.scope.resolve(n.text);
    if (!r) return undefined;
    const b = r.binding;
    if (b.kind === 'import' || b.kind === 'internal' || b.kind === 'const' || b.kind === 'class') return undefined;
    if (b.tdz && !(b.declEnd !== undefined && r.sameFn && n.pos >= b.declEnd)) return undefined;
    return { hops: r.hops, slot: b.slot };
  }

  /** The value of a numeric literal operand, for operator specialisation. */
  private constantNumber(n: TS.Expression): number | undefined {
    const ts = this.ts;
    if (ts.isNumericLiteral(n)) return numberLiteral(n.text);
    if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand)) return -numberLiteral(n.operand.text);
    return undefined;
  }

  /** Slot of an identifier operand that is a local of the current environment without TDZ check. */
  private localSlot(n: TS.Expression): number | undefined {
    const ts = this.ts;
    if (!ts.isIdentifier(n)) return undefined;
    const r = this.scope.resolve(n.text);
    if (!r || r.hops !== 0 || r.binding.kind === 'import') return undefined;
    const b = r.binding;
    if (b.tdz && !(b.declEnd !== undefined && r.sameFn && n.pos >= b.declEnd)) return undefined;
    return b.slot;
  }
}

const noop = (): void => undefined;

/** Shared argument list of zero-argument calls: argument arrays are never mutated. */
export const EMPTY_ARGS: Value[] = [];

/** Integer-like keys are ordered before others, so they cannot take the insertion-ordered path. */
function arrayIndexLike(k: string): boolean {
  return /^(0|[1-9]\d*)$/.test(k);
}

function seq(list: Stmt[]): Stmt {
  if (list.length === 0) return () => undefined;
  if (list.length === 1) return list[0]!;
  if (list.length === 2) {
    const a = list[0]!;
    const b = list[1]!;
    return (env) => {
      const c = a(env);
      return c !== undefined ? c : b(env);
    };
  }
  const n = list.length;
  return (env) => {
    for (let i = 0; i < n; i++) {
      const c = list[i]!(env);
      if (c !== undefined) return c;
    }
    return undefined;
  };
}

function exprStmt(e: Expr): Stmt {
  return (env) => {
    e(env);
    return undefined;
  };
}

function constant(v: Value): Expr {
  return () => v;
}

/** [[Get]] of a string key with the ordinary-object case inline (own data property, then the prototype). */
function getNamed(ob: GObj, k: string): Value {
  if (ob.exotic) return ob.get(k, ob);
  const s = ob.props.get(k);
  if (s !== undefined) return s.f & ACCESSOR ? (s.g === undefined ? undefined : host.realm.callGetter(s.g, ob)) : s.v;
  const p = ob.proto;
  return p === null ? undefined : p.get(k, ob);
}

export function envAt(env: Env, hops: number): Env {
  let e = env;
  for (let i = 0; i < hops; i++) e = e[0];
  return e;
}

function skipParens(ts: typeof TS, n: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
  return n;
}

function numberLiteral(text: string): number {
  return Number(text.replace(/_/g, ''));
}

function makeArguments(R: Realm, args: Value[]): GObj {
  const a = new GArray(R.ObjectPrototype, args.slice());
  a.cls = 'Arguments';
  a.put(Symbol.iterator, R.ArrayValues);
  const thrower = R.intrinsics['%ThrowTypeError%']!;
  a.defineOwn('callee', { get: thrower, set: thrower, enumerable: false, configurable: false });
  return a;
}

export function forInKeys(obj: GObj): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let o: GObj | null = obj; o !== null; o = o.getProto()) {
    for (const k of o.ownKeys()) {
      if (typeof k !== 'string' || seen.has(k)) continue;
      seen.add(k);
      const s = o.getOwn(k);
      if (s && s.f & ENUMERABLE) out.push(k);
    }
  }
  return out;
}

export function copyDataProperties(R: Realm, target: GObj, src: Value, excluded: Key[]): void {
  if (src === undefined || src === null) return;
  if (typeof src === 'string') {
    for (let i = 0; i < src.length; i++) if (!excluded.includes(String(i))) R.defineData(target, String(i), src[i]);
    return;
  }
  if (!(src instanceof GObj)) return;
  for (const k of src.ownKeys()) {
    if (excluded.includes(k)) continue;
    const s = src.getOwn(k);
    if (s && s.f & ENUMERABLE) R.defineData(target, k, src.get(k, src));
  }
}

function privGet(R: Realm, o: Value, pn: PrivateName): Value {
  const s = o instanceof GObj ? o.priv?.get(pn) : undefined;
  if (!s) return R.typeError(`Cannot read private member ${pn.name} from an object whose class did not declare it`);
  if (s.f & ACCESSOR) {
    if (!s.g) R.typeError(`'${pn.name}' was defined without a getter`);
    return R.call(s.g, o, []);
  }
  return s.v;
}

function privSet(R: Realm, o: Value, pn: PrivateName, v: Value): void {
  const s = o instanceof GObj ? o.priv?.get(pn) : undefined;
  if (!s) return R.typeError(`Cannot write private member ${pn.name} to an object whose class did not declare it`);
  if (s.f & ACCESSOR) {
    if (!s.s) R.typeError(`'${pn.name}' was defined without a setter`);
    R.call(s.s, o, [v]);
    return;
  }
  if (!(s.f & WRITABLE)) R.typeError(`Private method ${pn.name} is not writable`);
  s.v = v;
}
