// The compiler's state and what every part of it uses: sites and failures, modules, hoisting and
// scopes, and how identifiers, private names and property keys resolve to environment slots.
import type * as TS from 'typescript';
import { EvalFailure, type Realm, type Site, type SourceInfo } from '../realm.js';
import { FnInfo, Scope, type Binding } from '../scope.js';
import type { Closure, CompiledFn } from '../closure.js';
import { ACCESSOR, GArray, GObj, PrivateName, TDZ, type Key, type Value } from '../values.js';
import { noop, seq, envAt, numberLiteral } from './helpers.js';
import { type Env, type Expr, type Stmt, type ModuleHooks, type CompiledModule } from './shared.js';

export abstract class CompilerCore {
  // Defined by the layers above; declared here so that every layer can call them.
  protected abstract binary(n: TS.BinaryExpression, nameHint?: string): Expr;
  protected abstract bindingInit(name: string): (env: Env, v: Value) => void;
  protected abstract call(n: TS.CallExpression): Expr;
  protected abstract callee(n: TS.Expression): { callee: Expr; thisOf: () => Value };
  abstract classNode(node: TS.ClassLikeDeclaration, name: string): (env: Env) => GObj;
  abstract compileFunction(node: TS.FunctionLikeDeclaration | TS.ClassStaticBlockDeclaration | TS.Expression, name: string, opts?: { method?: boolean; classCtor?: boolean; derived?: boolean; fieldInit?: boolean }): CompiledFn;
  abstract expr(n: TS.Expression, nameHint?: string): Expr;
  abstract functionNode(node: TS.FunctionLikeDeclaration, name: string, opts?: { method?: boolean; classCtor?: boolean; derived?: boolean }): (env: Env) => Closure;
  protected abstract newExpr(n: TS.NewExpression): Expr;
  protected abstract prefix(n: TS.PrefixUnaryExpression): Expr;
  abstract statement(st: TS.Statement): Stmt;
  protected abstract update(n: TS.PrefixUnaryExpression | TS.PostfixUnaryExpression, prefix: boolean): Expr;

  protected sf!: TS.SourceFile;

  protected src!: SourceInfo;

  protected scope!: Scope;

  protected templateCache = new Map<TS.Node, GArray>();

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

  protected declareImport(scope: Scope, local: string, cell: () => { env: Env; slot: number }): void {
    const b = scope.declare(local, 'import');
    b.importCell = cell;
  }

  boundNames(n: TS.BindingName): string[] {
    const ts = this.ts;
    if (ts.isIdentifier(n)) return [n.text];
    const out: string[] = [];
    for (const el of n.elements) if (!ts.isOmittedExpression(el)) out.push(...this.boundNames(el.name));
    return out;
  }

  /** Declares var-scoped names found anywhere below `stmts` (not inside nested functions) in `fnScope`. */
  protected hoistVars(node: TS.Node, fnScope: Scope): void {
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
  protected hoistDeclarations(stmts: readonly TS.Statement[], scope: Scope, functionLevel: boolean, trackEnd = true): boolean {
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
  protected scopeInit(scope: Scope): (env: Env) => void {
    const tdz: number[] = [];
    for (const b of scope.names.values()) if (b.tdz) tdz.push(b.slot);
    const fns = this.pendingFunctions.get(scope) ?? [];
    if (tdz.length === 0 && fns.length === 0) return noop;
    return (env) => {
      for (let i = 0; i < tdz.length; i++) env[tdz[i]!] = TDZ;
      for (let i = 0; i < fns.length; i++) fns[i]!(env);
    };
  }

  protected pendingFunctions = new Map<Scope, ((env: Env) => void)[]>();

  protected statementList(stmts: readonly TS.Statement[], topLevel: boolean): Stmt {
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

  protected propertyKey(n: TS.PropertyName): (env: Env) => Key {
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
  protected hidden(name: '%this' | '%nt' | '%fn', node: TS.Node): { hops: number; slot: number } {
    const r = this.scope.resolve(name);
    if (!r) this.fail(node, name.slice(1));
    return { hops: r.hops, slot: r.binding.slot };
  }

  protected readIdentifier(name: string, node: TS.Node): Expr {
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

  protected importRead(b: Binding, name: string): Expr {
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
  protected assignIdentifier(name: string, node: TS.Node): (env: Env, v: Value) => void {
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

  protected privateName(n: TS.PrivateIdentifier): (env: Env) => PrivateName {
    const r = this.scope.resolve(n.text);
    if (!r) this.fail(n, `private name ${n.text} outside its class`);
    const { hops } = r;
    const slot = r.binding.slot;
    return (env) => envAt(env, hops)[slot];
  }

  /** A let/var/param binding that can be read and written without TDZ or const checks here. */
  protected mutableLocal(n: TS.Identifier): { hops: number; slot: number } | undefined {
    const r = this.scope.resolve(n.text);
    if (!r) return undefined;
    const b = r.binding;
    if (b.kind === 'import' || b.kind === 'internal' || b.kind === 'const' || b.kind === 'class') return undefined;
    if (b.tdz && !(b.declEnd !== undefined && r.sameFn && n.pos >= b.declEnd)) return undefined;
    return { hops: r.hops, slot: b.slot };
  }

  /** The value of a numeric literal operand, for operator specialisation. */
  protected constantNumber(n: TS.Expression): number | undefined {
    const ts = this.ts;
    if (ts.isNumericLiteral(n)) return numberLiteral(n.text);
    if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(n.operand)) return -numberLiteral(n.operand.text);
    return undefined;
  }

  /** Slot of an identifier operand that is a local of the current environment without TDZ check. */
  protected localSlot(n: TS.Expression): number | undefined {
    const ts = this.ts;
    if (!ts.isIdentifier(n)) return undefined;
    const r = this.scope.resolve(n.text);
    if (!r || r.hops !== 0 || r.binding.kind === 'import') return undefined;
    const b = r.binding;
    if (b.tdz && !(b.declEnd !== undefined && r.sameFn && n.pos >= b.declEnd)) return undefined;
    return b.slot;
  }
}
