// JSON. parse() lets the host parse text into host data, then copies it into guest objects
// (the host values never reach guest code); stringify() walks guest objects itself.

import { rethrowIfFatal, type Realm } from '../realm.js';
import { CONFIGURABLE, ENUMERABLE, GArray, GFunction, GObj, type Key, type Value } from '../values.js';
import { arg } from './base.js';

export function installJSON(R: Realm): void {
  const J = new GObj(R.ObjectPrototype);
  R.global.put('JSON', J);
  J.put(Symbol.toStringTag, 'JSON', CONFIGURABLE);
  R.method(J, 'parse', 2, (_t, a) => {
    const text = R.toString(arg(a, 0));
    // The host parses the whole text before any guest object exists: charge it up front.
    R.chargeHeap(text.length * 4);
    let h: unknown;
    try {
      h = JSON.parse(text);
    } catch (e) {
      rethrowIfFatal(e);
      return R.throwError('SyntaxError', (e as Error).message);
    }
    const v = fromHost(R, h);
    const reviver = arg(a, 1);
    if (!(reviver instanceof GFunction)) return v;
    const root = R.newObject();
    R.defineData(root, '', v);
    const walk = (holder: GObj, key: string): Value => {
      const val = holder.get(key, holder);
      if (val instanceof GObj) {
        const keys = val instanceof GArray ? val.items.map((_, i) => String(i)) : val.ownKeys().filter((k): k is string => typeof k === 'string' && ((val.getOwn(k)?.f ?? 0) & ENUMERABLE) !== 0);
        for (const k of keys) {
          const nv = walk(val, k);
          if (nv === undefined) val.delete(k);
          else R.defineData(val, k, nv);
        }
      }
      return R.call(reviver, holder, [key, val]);
    };
    return walk(root, '');
  });
  R.method(J, 'stringify', 3, (_t, a) => stringify(R, arg(a, 0), arg(a, 1), arg(a, 2)));
}

function fromHost(R: Realm, h: unknown): Value {
  if (h === null || typeof h !== 'object') return h as Value;
  R.charge(1);
  if (Array.isArray(h)) return R.newArray(h.map((x) => fromHost(R, x)));
  const o = R.newObject();
  for (const [k, v] of Object.entries(h as Record<string, unknown>)) R.defineData(o, k, fromHost(R, v));
  return o;
}

export function quoteJSON(s: string): string {
  return JSON.stringify(s);
}

function stringify(R: Realm, value: Value, replacer: Value, space: Value): Value {
  let replacerFn: GFunction | undefined;
  let allow: Key[] | undefined;
  if (replacer instanceof GFunction) replacerFn = replacer;
  else if (replacer instanceof GArray) {
    allow = [];
    for (const x of R.listFrom(replacer)) {
      const k = typeof x === 'string' ? x : typeof x === 'number' ? String(x) : x instanceof GObj && (x.cls === 'String' || x.cls === 'Number') ? R.toString(x) : undefined;
      if (k !== undefined && !allow.includes(k)) allow.push(k);
    }
  }
  if (space instanceof GObj) space = space.cls === 'Number' ? R.toNumber(space) : space.cls === 'String' ? R.toString(space) : space;
  const gap = typeof space === 'number' ? ' '.repeat(Math.max(0, Math.min(10, Math.trunc(space)))) : typeof space === 'string' ? space.slice(0, 10) : '';
  const stack: GObj[] = [];
  let size = 0;
  const ser = (holder: GObj, key: string, indent: string): string | undefined => {
    let v = holder.get(key, holder);
    if (v instanceof GObj || typeof v === 'bigint') {
      const toJSON = R.get(v, 'toJSON');
      if (toJSON instanceof GFunction) v = R.call(toJSON, v, [key]);
    }
    if (replacerFn) v = R.call(replacerFn, holder, [key, v]);
    if (v instanceof GObj) {
      if (v.cls === 'Number') v = R.toNumber(v);
      else if (v.cls === 'String') v = R.toString(v);
      else if (v.cls === 'Boolean') v = v.internal as boolean;
      else if (v.cls === 'BigInt') v = v.internal as bigint;
    }
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return quoteJSON(v);
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v === 'bigint') R.typeError('Do not know how to serialize a BigInt');
    if (!(v instanceof GObj) || v instanceof GFunction) return undefined;
    if (stack.includes(v)) R.typeError('Converting circular structure to JSON');
    R.charge(1);
    stack.push(v);
    const inner = indent + gap;
    const parts: string[] = [];
    let out: string;
    if (v instanceof GArray && v.cls === 'Array') {
      const n = v.items.length;
      R.charge(n);
      for (let i = 0; i < n; i++) parts.push(ser(v, String(i), inner) ?? 'null');
      out = parts.length === 0 ? '[]' : gap ? `[\n${inner}${parts.join(`,\n${inner}`)}\n${indent}]` : `[${parts.join(',')}]`;
    } else {
      const keys = allow ?? v.ownKeys().filter((k) => typeof k === 'string' && ((v as GObj).getOwn(k)?.f ?? 0) & ENUMERABLE);
      R.charge(keys.length);
      for (const k of keys) {
        const s = ser(v, k as string, inner);
        if (s !== undefined) parts.push(quoteJSON(k as string) + (gap ? ': ' : ':') + s);
      }
      out = parts.length === 0 ? '{}' : gap ? `{\n${inner}${parts.join(`,\n${inner}`)}\n${indent}}` : `{${parts.join(',')}}`;
    }
    stack.pop();
    size += out.length;
    if (size > R.maxStringLength) R.checkString(out + out);
    return out;
  };
  const wrapper = R.newObject();
  R.defineData(wrapper, '', value);
  return ser(wrapper, '', '');
}
