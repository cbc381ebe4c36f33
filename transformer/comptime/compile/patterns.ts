// Binding and assignment patterns: destructuring into declarations or assignment targets, with
// defaults, rest elements and iterator closing as the spec orders them.
import type * as TS from 'typescript';
import { GuestThrow, type Realm } from '../realm.js';
import { GObj, HOLE, type Key, type Value } from '../values.js';
import { copyDataProperties, privSet } from './helpers.js';
import { type Env, type Expr } from './shared.js';
import { CompilerCore } from './core.js';

export abstract class PatternCompiler extends CompilerCore {
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
  protected assignTarget(n: TS.Node): (env: Env, v: Value) => void {
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
}
