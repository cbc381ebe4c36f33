// Statements: blocks, declarations, labels, loops (with per-iteration bindings), try and switch,
// each compiled to a closure returning its completion.
import type * as TS from 'typescript';
import { GuestThrow, type Realm, type Site } from '../realm.js';
import { Closure, RET } from '../closure.js';
import { Scope } from '../scope.js';
import { GObj, HOLE, type Value } from '../values.js';
import { EMPTY_ARGS, seq, exprStmt, getNamed, envAt, forInKeys } from './helpers.js';
import { BRK, CONT, type Env, type Expr, type Stmt } from './shared.js';
import { FunctionCompiler } from './functions.js';

export abstract class StatementCompiler extends FunctionCompiler {
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

  protected block(stmts: readonly TS.Statement[]): Stmt {
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

  protected varDeclList(list: TS.VariableDeclarationList, site: Site): Stmt {
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
  protected bindingInit(name: string): (env: Env, v: Value) => void {
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

  protected labeled(st: TS.LabeledStatement, outerLabels: string[]): Stmt {
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

  protected containsClosure(n: TS.Node): boolean {
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

  protected loop(st: TS.IterationStatement, labels: string[]): Stmt {
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

  protected tryStatement(st: TS.TryStatement): Stmt {
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

  protected switchStatement(st: TS.SwitchStatement): Stmt {
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
}
