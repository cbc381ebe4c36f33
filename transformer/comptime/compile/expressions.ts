// Expressions: dispatch by kind, optional chains, templates, array and object literals, super and
// property access.
import type * as TS from 'typescript';
import { type Realm } from '../realm.js';
import { Closure } from '../closure.js';
import { DEFAULT_DATA, GArray, GObj, HOLE, Slot, TDZ, type Value } from '../values.js';
import { arrayIndexLike, constant, getNamed, envAt, skipParens, numberLiteral, copyDataProperties, privGet } from './helpers.js';
import { SHORT, type Env, type Expr } from './shared.js';
import { PatternCompiler } from './patterns.js';

export abstract class ExpressionCompiler extends PatternCompiler {
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
  protected chainLink(n: TS.Expression): Expr {
    return this.ts.isOptionalChain(n) ? this.expr0(n) : this.expr(n);
  }

  protected expr0(n: TS.Expression, nameHint?: string): Expr {
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

  protected template(n: TS.TemplateExpression): Expr {
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

  protected taggedTemplate(n: TS.TaggedTemplateExpression): Expr {
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

  protected arrayLiteral(n: TS.ArrayLiteralExpression): Expr {
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

  protected objectLiteral(n: TS.ObjectLiteralExpression): Expr {
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

  protected superBase(node: TS.Node): { home: (env: Env) => GObj | null; thisE: Expr } {
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

  protected propertyAccess(n: TS.PropertyAccessExpression): Expr {
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

  protected elementAccess(n: TS.ElementAccessExpression): Expr {
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
}
