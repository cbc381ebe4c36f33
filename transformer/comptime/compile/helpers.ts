// Helpers of the compiled code that need no compiler state.
import type * as TS from 'typescript';
import { type Realm } from '../realm.js';
import { ACCESSOR, ENUMERABLE, GArray, GObj, PrivateName, WRITABLE, host, type Key, type Value } from '../values.js';
import { type Env, type Expr, type Stmt } from './shared.js';

export const noop = (): void => undefined;

/** Shared argument list of zero-argument calls: argument arrays are never mutated. */
export const EMPTY_ARGS: Value[] = [];

/** Integer-like keys are ordered before others, so they cannot take the insertion-ordered path. */
export function arrayIndexLike(k: string): boolean {
  return /^(0|[1-9]\d*)$/.test(k);
}

export function seq(list: Stmt[]): Stmt {
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

export function exprStmt(e: Expr): Stmt {
  return (env) => {
    e(env);
    return undefined;
  };
}

export function constant(v: Value): Expr {
  return () => v;
}

/** [[Get]] of a string key with the ordinary-object case inline (own data property, then the prototype). */
export function getNamed(ob: GObj, k: string): Value {
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

export function skipParens(ts: typeof TS, n: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
  return n;
}

export function numberLiteral(text: string): number {
  return Number(text.replace(/_/g, ''));
}

export function makeArguments(R: Realm, args: Value[]): GObj {
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

export function privGet(R: Realm, o: Value, pn: PrivateName): Value {
  const s = o instanceof GObj ? o.priv?.get(pn) : undefined;
  if (!s) return R.typeError(`Cannot read private member ${pn.name} from an object whose class did not declare it`);
  if (s.f & ACCESSOR) {
    if (!s.g) R.typeError(`'${pn.name}' was defined without a getter`);
    return R.call(s.g, o, []);
  }
  return s.v;
}

export function privSet(R: Realm, o: Value, pn: PrivateName, v: Value): void {
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
