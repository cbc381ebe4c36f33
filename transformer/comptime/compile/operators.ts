// Calls, `new` and operators: argument lists with spread, callees and their `this`, unary, update,
// binary, logical and assignment operators (specialised for local slots and constants).
import type * as TS from 'typescript';
import { type Realm } from '../realm.js';
import { Closure, initFields, type CompiledFn } from '../closure.js';
import { arith, compoundOps, specialize } from '../operators.js';
import { ACCESSOR, GArray, GFunction, GObj, HOLE, NativeFunction, TDZ, WRITABLE, type Value } from '../values.js';
import { EMPTY_ARGS, constant, getNamed, envAt, skipParens, privGet, privSet } from './helpers.js';
import { SHORT, type Env, type Expr } from './shared.js';
import { ExpressionCompiler } from './expressions.js';

export abstract class OperatorCompiler extends ExpressionCompiler {
  protected args(list: readonly TS.Expression[] | undefined): (env: Env) => Value[] {
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
  protected callee(n: TS.Expression): { callee: Expr; thisOf: () => Value } {
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

  protected call(n: TS.CallExpression): Expr {
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

  protected newExpr(n: TS.NewExpression): Expr {
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

  protected prefix(n: TS.PrefixUnaryExpression): Expr {
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
  protected reference(n: TS.Expression): (env: Env) => { get: () => Value; set: (v: Value) => void } {
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

  protected update(n: TS.PrefixUnaryExpression | TS.PostfixUnaryExpression, prefix: boolean): Expr {
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
  protected memberTarget(n: TS.Expression): { o: Expr; k: Expr } | undefined {
    const ts = this.ts;
    const x = skipParens(ts, n);
    if (ts.isPropertyAccessExpression(x) && !ts.isPrivateIdentifier(x.name) && x.expression.kind !== ts.SyntaxKind.SuperKeyword && !ts.isOptionalChain(x))
      return { o: this.expr(x.expression), k: constant(x.name.text) };
    if (ts.isElementAccessExpression(x) && x.expression.kind !== ts.SyntaxKind.SuperKeyword && !ts.isOptionalChain(x)) return { o: this.expr(x.expression), k: this.expr(x.argumentExpression) };
    return undefined;
  }

  protected binary(n: TS.BinaryExpression, nameHint?: string): Expr {
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
}
