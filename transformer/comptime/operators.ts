// Operators on guest values: the general algorithms (with host operators applied to primitives
// only) and per-operator closures specialised for number operands.

import type * as TS from 'typescript';
import { EvalFailure, rethrowIfFatal, type Realm } from './realm.js';
import { GObj, type Value } from './values.js';

type Env = any[];
type Expr = (env: Env) => Value;

/**
 * Closures specialised per operator and operand shape (local-variable left operand, numeric-literal
 * right operand), each with the operator inlined so V8 keeps separate, monomorphic type feedback
 * for every operator. The code is generated from fixed templates (never from guest input); where
 * the host forbids code generation, a generic closure is used instead.
 */
export function specialize(ts: typeof TS, op: TS.SyntaxKind, a: Expr, b: Expr, slow: (x: Value, y: Value) => Value, k: number | undefined, slot: number | undefined): Expr {
  const K = ts.SyntaxKind;
  if (op === K.EqualsEqualsEqualsToken) return (env) => a(env) === b(env);
  if (op === K.ExclamationEqualsEqualsToken) return (env) => a(env) !== b(env);
  const text = OPERATOR_TEXT(ts).get(op);
  if (text === undefined) return (env) => slow(a(env), b(env));
  const shape = slot !== undefined && k !== undefined ? 'lk' : k !== undefined ? 'k' : slot !== undefined ? 'l' : 'g';
  const key = `${text}:${shape}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    const x = shape === 'l' || shape === 'lk' ? 'env[slot]' : 'a(env)';
    const y = shape === 'k' || shape === 'lk' ? 'k' : 'b(env)';
    const yNum = y === 'k' ? '' : " && typeof y === 'number'";
    try {
      factory = new Function('a', 'b', 'slow', 'k', 'slot', `return (env) => { const x = ${x}; const y = ${y}; return typeof x === 'number'${yNum} ? x ${text} y : slow(x, y); };`) as Factory;
    } catch {
      factory = null;
    }
    factories.set(key, factory);
  }
  if (factory === null) return (env) => slow(a(env), b(env));
  return factory(a, b, slow, k ?? 0, slot ?? 0);
}

type Factory = (a: Expr, b: Expr, slow: (x: Value, y: Value) => Value, k: number, slot: number) => Expr;
const factories = new Map<string, Factory | null>();

let operatorText: Map<TS.SyntaxKind, string> | undefined;
function OPERATOR_TEXT(ts: typeof TS): Map<TS.SyntaxKind, string> {
  if (operatorText) return operatorText;
  const K = ts.SyntaxKind;
  operatorText = new Map([
    [K.PlusToken, '+'],
    [K.MinusToken, '-'],
    [K.AsteriskToken, '*'],
    [K.SlashToken, '/'],
    [K.PercentToken, '%'],
    [K.LessThanToken, '<'],
    [K.LessThanEqualsToken, '<='],
    [K.GreaterThanToken, '>'],
    [K.GreaterThanEqualsToken, '>='],
    [K.AmpersandToken, '&'],
    [K.BarToken, '|'],
    [K.CaretToken, '^'],
    [K.LessThanLessThanToken, '<<'],
    [K.GreaterThanGreaterThanToken, '>>'],
    [K.GreaterThanGreaterThanGreaterThanToken, '>>>'],
  ]);
  return operatorText;
}

// ---------------------------------------------------------------- operators

const compoundCache = new WeakMap<object, Map<TS.SyntaxKind, TS.SyntaxKind>>();
export function compoundOps(ts: typeof TS): Map<TS.SyntaxKind, TS.SyntaxKind> {
  let m = compoundCache.get(ts);
  if (!m) {
    const K = ts.SyntaxKind;
    m = new Map([
      [K.PlusEqualsToken, K.PlusToken],
      [K.MinusEqualsToken, K.MinusToken],
      [K.AsteriskEqualsToken, K.AsteriskToken],
      [K.SlashEqualsToken, K.SlashToken],
      [K.PercentEqualsToken, K.PercentToken],
      [K.AsteriskAsteriskEqualsToken, K.AsteriskAsteriskToken],
      [K.LessThanLessThanEqualsToken, K.LessThanLessThanToken],
      [K.GreaterThanGreaterThanEqualsToken, K.GreaterThanGreaterThanToken],
      [K.GreaterThanGreaterThanGreaterThanEqualsToken, K.GreaterThanGreaterThanGreaterThanToken],
      [K.AmpersandEqualsToken, K.AmpersandToken],
      [K.BarEqualsToken, K.BarToken],
      [K.CaretEqualsToken, K.CaretToken],
    ]);
    compoundCache.set(ts, m);
  }
  return m;
}

let tsRef: typeof TS;

/** Binary operator on guest values. Fast paths first; the slow path converts, then applies the
 * host operator to primitives only, mapping host TypeError/RangeError (BigInt mixing, division
 * by zero) to guest errors. Primitives cannot run guest code, so the host operator is safe. */
/** String `+`: charged by what it adds, the shorter part (appending to a long string costs the short one). */
function concat(R: Realm, l: string, r: string): string {
  const s = l + r;
  if (s.length > 64) {
    if (s.length > R.maxStringLength) R.checkString(s);
    R.chargeString(l.length < r.length ? l.length : r.length);
  }
  return s;
}

export function arith(R: Realm, op: TS.SyntaxKind): (a: Value, b: Value) => Value {
  const K = tsRef.SyntaxKind;
  const prim = (f: (a: any, b: any) => Value) => (a: Value, b: Value) => {
    try {
      return f(a, b);
    } catch (e) {
      rethrowIfFatal(e);
      if (e instanceof TypeError) R.typeError(e.message);
      if (e instanceof RangeError) R.rangeError(e.message);
      throw e;
    }
  };
  const numeric = (f: (a: any, b: any) => Value) => {
    const p = prim(f);
    return (a: Value, b: Value): Value => {
      if (typeof a === 'number' && typeof b === 'number') return f(a, b);
      const x = R.toNumeric(a);
      const y = R.toNumeric(b);
      if (typeof x !== 'bigint' || typeof y !== 'bigint') return p(x, y);
      // A BigInt is memory the guest allocates: bound the result's size before the host computes
      // it (1n << 10n ** 9n would take the host's memory, not the guest's), then charge it.
      const bits = bigintResultBits(op, x, y);
      // Charged up front, from the bound: the host's work and memory are what the limits protect.
      R.chargeHeap(Math.ceil(bits / 8) + 16);
      const words = bits / 64;
      // Multiplication of n-word numbers costs about n^1.58 (Karatsuba); everything else is linear.
      R.charge(Math.ceil(op === tsRef.SyntaxKind.AsteriskToken || op === tsRef.SyntaxKind.AsteriskAsteriskToken ? words ** 1.58 / 16 : words / 64));
      return p(x, y);
    };
  };
  const relational = (f: (a: any, b: any) => boolean) => {
    const p = prim(f);
    return (a: Value, b: Value): Value => {
      if (typeof a === 'number' && typeof b === 'number') return f(a, b);
      const x = R.toPrimitive(a, 'number');
      const y = R.toPrimitive(b, 'number');
      if (typeof x === 'symbol' || typeof y === 'symbol') R.typeError('Cannot convert a Symbol value to a number');
      return p(x, y);
    };
  };
  switch (op) {
    case K.PlusToken: {
      const p = prim((a, b) => a + b);
      return (a, b) => {
        if (typeof a === 'number' && typeof b === 'number') return a + b;
        if (typeof a === 'string' && typeof b === 'string') return concat(R, a, b);
        const x = R.toPrimitive(a);
        const y = R.toPrimitive(b);
        if (typeof x === 'string' || typeof y === 'string') {
          return concat(R, typeof x === 'string' ? x : R.toString(x), typeof y === 'string' ? y : R.toString(y));
        }
        return p(R.toNumeric(x), R.toNumeric(y));
      };
    }
    case K.MinusToken:
      return numeric((a, b) => a - b);
    case K.AsteriskToken:
      return numeric((a, b) => a * b);
    case K.SlashToken:
      return numeric((a, b) => a / b);
    case K.PercentToken:
      return numeric((a, b) => a % b);
    case K.AsteriskAsteriskToken:
      return numeric((a, b) => a ** b);
    case K.LessThanLessThanToken:
      return numeric((a, b) => a << b);
    case K.GreaterThanGreaterThanToken:
      return numeric((a, b) => a >> b);
    case K.GreaterThanGreaterThanGreaterThanToken:
      return numeric((a, b) => a >>> b);
    case K.AmpersandToken:
      return numeric((a, b) => a & b);
    case K.BarToken:
      return numeric((a, b) => a | b);
    case K.CaretToken:
      return numeric((a, b) => a ^ b);
    case K.LessThanToken:
      return relational((a, b) => a < b);
    case K.GreaterThanToken:
      return relational((a, b) => a > b);
    case K.LessThanEqualsToken:
      return relational((a, b) => a <= b);
    case K.GreaterThanEqualsToken:
      return relational((a, b) => a >= b);
    case K.EqualsEqualsEqualsToken:
      return (a, b) => a === b;
    case K.ExclamationEqualsEqualsToken:
      return (a, b) => a !== b;
    case K.EqualsEqualsToken:
      return (a, b) => looseEquals(R, a, b);
    case K.ExclamationEqualsToken:
      return (a, b) => !looseEquals(R, a, b);
    case K.InstanceOfKeyword:
      return (a, b) => R.instanceOf(a, b);
    case K.InKeyword:
      return (a, b) => R.has(b, a);
  }
  throw new EvalFailure(`comptime: operator ${tsRef.SyntaxKind[op]} is not supported during build-time evaluation`);
}

function bitLength(v: bigint): number {
  if (v < 0n) v = -v;
  // toString(16) is linear in the size: an upper bound within 4 bits is all the budget needs.
  return v === 0n ? 0 : v.toString(16).length * 4;
}

/** An upper bound on the bits of `a op b` for BigInts, without computing it. */
function bigintResultBits(op: TS.SyntaxKind, a: bigint, b: bigint): number {
  const K = tsRef.SyntaxKind;
  const la = bitLength(a);
  const lb = bitLength(b);
  switch (op) {
    case K.AsteriskToken:
      return la + lb;
    case K.AsteriskAsteriskToken:
      // |a| <= 1 stays small whatever the exponent; a negative exponent throws.
      if (la <= 1 || b <= 0n) return la;
      return b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : la * Number(b);
    case K.LessThanLessThanToken:
      if (b <= 0n) return la;
      return b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : la + Number(b);
    case K.GreaterThanGreaterThanToken:
      if (b >= 0n) return la;
      return -b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : la + Number(-b);
    default:
      return Math.max(la, lb) + 1;
  }
}

export function setTs(ts: typeof TS): void {
  tsRef = ts;
}

export function looseEquals(R: Realm, a: Value, b: Value): boolean {
  const ao = a instanceof GObj;
  const bo = b instanceof GObj;
  if (ao && bo) return a === b;
  if (!ao && !bo) {
    // Host == on primitives never runs code; only a Symbol compared with a BigInt/number could throw.
    try {
      return a == (b as any);
    } catch {
      return false;
    }
  }
  const o = ao ? b : a;
  if (o === undefined || o === null) return false;
  const p = R.toPrimitive(ao ? a : b);
  return looseEquals(R, ao ? p : a, ao ? b : p);
}

// ---------------------------------------------------------------- helpers

