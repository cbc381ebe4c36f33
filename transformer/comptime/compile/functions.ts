// Functions and classes: closures with their own scopes, `arguments`, parameters, class bodies with
// fields, accessors, private names, static blocks and default constructors.
import type * as TS from 'typescript';
import { type Realm } from '../realm.js';
import { Closure, NEW_TARGET, THIS, initFields, type CompiledFn, type FieldDef } from '../closure.js';
import { FnInfo, Scope } from '../scope.js';
import { CONFIGURABLE, GFunction, GObj, PrivateName, Slot, TDZ, type Key, type Value } from '../values.js';
import { noop, makeArguments } from './helpers.js';
import { type Env, type Expr, type Stmt } from './shared.js';
import { OperatorCompiler } from './operators.js';

export abstract class FunctionCompiler extends OperatorCompiler {
  protected usesArguments(body: TS.Node): boolean {
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

  protected defaultConstructor(node: TS.ClassLikeDeclaration, name: string, derived: boolean): CompiledFn {
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
}
