// Array, its prototype, %ArrayIteratorPrototype% and %IteratorPrototype%. Methods work on any
// array-like receiver; GArray receivers take direct paths over the dense storage.

import { LimitExceeded } from '../limits.js';
import type { Realm } from '../realm.js';
import { CONFIGURABLE, GArray, GFunction, GObj, HOLE, type Value } from '../values.js';
import { arg, objectToString } from './base.js';

export function installArray(R: Realm): void {
  const OP = R.ObjectPrototype;
  const AP = new GArray(OP);
  R.ArrayPrototype = AP;
  const IP = new GObj(OP);
  R.IteratorPrototype = IP;
  R.method(IP, Symbol.iterator, 0, (t) => t);
  const AIP = new GObj(IP);
  R.ArrayIteratorPrototype = AIP;
  AIP.put(Symbol.toStringTag, 'Array Iterator', CONFIGURABLE);

  const toObj = (v: Value) => R.toObject(v);
  const len = (o: GObj): number => (o instanceof GArray ? o.items.length : R.toLength(o.get('length', o)));
  const getI = (o: GObj, i: number): Value => {
    if (o instanceof GArray) {
      const v = o.items[i];
      return v !== HOLE && i < o.items.length ? (v as Value) : o.get(String(i), o);
    }
    return o.get(String(i), o);
  };
  const hasI = (o: GObj, i: number): boolean => (o instanceof GArray && i < o.items.length && o.items[i] !== HOLE ? true : o.has(String(i)));
  const setI = (o: GObj, i: number, v: Value): void => {
    if (o instanceof GArray && i < o.items.length && o.items[i] !== HOLE && !o.frozenElems) o.items[i] = v;
    else R.set(o, String(i), v);
  };
  const setLen = (o: GObj, n: number): void => R.set(o, 'length', n);
  const fnArg = (a: Value[], i: number, what: string): GFunction => {
    const f = arg(a, i);
    if (!(f instanceof GFunction)) R.typeError(`${R.describe(f)} is not a function (in Array.prototype.${what})`);
    return f;
  };
  const relIndex = (v: Value, n: number, dflt: number): number => {
    if (v === undefined) return dflt;
    const k = R.toIntegerOrInfinity(v);
    return k < 0 ? Math.max(n + k, 0) : Math.min(k, n);
  };
  /** ArraySpeciesCreate, limited to plain arrays: subclass species would run guest constructors. */
  const speciesCreate = (o: GObj, n: number): GObj => {
    if (o instanceof GArray && o.cls === 'Array') {
      const C = o.get('constructor', o);
      if (C instanceof GFunction && C !== R.intrinsics.Array) {
        let S = C.get(Symbol.species, C);
        if (S === null) S = undefined;
        if (S !== undefined) return R.construct(S, [n]) as GObj;
      }
    }
    const a = R.newArray([]);
    return a;
  };

  const ArrayCtor = R.ctor('Array', 1, AP, (_t, a, nt) => {
    const proto = R.protoFrom(nt, AP);
    if (a.length === 1 && typeof a[0] === 'number') {
      const n = a[0];
      if (!Number.isInteger(n) || n < 0 || n > 4294967295) R.rangeError('Invalid array length');
      const arr = new GArray(proto, []);
      arr.grow(n);
      return arr;
    }
    return new GArray(proto, a.slice());
  });
  R.getter(ArrayCtor, Symbol.species, (t) => t);
  R.method(ArrayCtor, 'isArray', 1, (_t, a) => {
    const v = arg(a, 0);
    return v instanceof GArray && v.cls === 'Array';
  });
  R.method(ArrayCtor, 'of', 0, (_t, a) => R.newArray(a.slice()));
  R.method(ArrayCtor, 'from', 1, (_t, a) => {
    const src = arg(a, 0);
    const f = arg(a, 1);
    const thisArg = arg(a, 2);
    if (f !== undefined && !(f instanceof GFunction)) R.typeError(`${R.describe(f)} is not a function`);
    if (src === undefined || src === null) R.typeError(`${src} is not iterable`);
    const iter = R.get(src, Symbol.iterator);
    let items: Value[];
    if (iter !== undefined && iter !== null) items = R.listFrom(src);
    else {
      const o = toObj(src);
      const n = len(o);
      R.charge(n);
      items = [];
      for (let i = 0; i < n; i++) items.push(getI(o, i));
    }
    if (f) for (let i = 0; i < items.length; i++) items[i] = R.call(f, thisArg, [items[i], i]);
    return R.newArray(items);
  });

  R.method(AP, 'push', 1, (t, a) => {
    if (t instanceof GArray && t.extensible && t.lengthWritable && t.props.size === 0) {
      if (t.items.length > 8) R.chargeHeap(a.length * 8);
      for (const x of a) t.items.push(x);
      return t.items.length;
    }
    const o = toObj(t);
    let n = len(o);
    for (const x of a) R.set(o, String(n++), x);
    setLen(o, n);
    return n;
  });
  R.fast1(AP, 'push', (t, x) => {
    if (t instanceof GArray && t.extensible && t.lengthWritable && t.props.size === 0) {
      if (t.items.length > 8) R.chargeHeap(8);
      return t.items.push(x);
    }
    return R.call(AP.getOwn('push')!.v, t, [x]);
  });
  R.method(AP, 'pop', 0, (t) => {
    if (t instanceof GArray && t.lengthWritable && !t.frozenElems && t.props.size === 0) {
      if (t.items.length === 0) return undefined;
      const v = t.items.pop()!;
      return v === HOLE ? t.get(String(t.items.length), t) : v;
    }
    const o = toObj(t);
    const n = len(o);
    if (n === 0) {
      setLen(o, 0);
      return undefined;
    }
    const v = getI(o, n - 1);
    R.deleteProp(o, String(n - 1));
    setLen(o, n - 1);
    return v;
  });
  R.method(AP, 'shift', 0, (t) => {
    if (t instanceof GArray && t.lengthWritable && !t.frozenElems && t.props.size === 0) {
      if (t.items.length === 0) return undefined;
      R.charge(t.items.length >> 4);
      const v = t.items.shift()!;
      return v === HOLE ? undefined : v;
    }
    const o = toObj(t);
    const n = len(o);
    if (n === 0) {
      setLen(o, 0);
      return undefined;
    }
    const first = getI(o, 0);
    for (let i = 1; i < n; i++) {
      if (hasI(o, i)) R.set(o, String(i - 1), getI(o, i));
      else R.deleteProp(o, String(i - 1));
    }
    R.deleteProp(o, String(n - 1));
    setLen(o, n - 1);
    return first;
  });
  R.method(AP, 'unshift', 1, (t, a) => {
    if (t instanceof GArray && t.lengthWritable && !t.frozenElems && t.props.size === 0) {
      R.charge(t.items.length >> 4);
      R.chargeHeap(a.length * 8);
      t.items.unshift(...a);
      return t.items.length;
    }
    const o = toObj(t);
    const n = len(o);
    for (let i = n - 1; i >= 0; i--) {
      if (hasI(o, i)) R.set(o, String(i + a.length), getI(o, i));
      else R.deleteProp(o, String(i + a.length));
    }
    a.forEach((x, i) => R.set(o, String(i), x));
    setLen(o, n + a.length);
    return n + a.length;
  });
  R.method(AP, 'slice', 2, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    const s = relIndex(arg(a, 0), n, 0);
    const e = relIndex(arg(a, 1), n, n);
    R.charge(Math.max(0, e - s));
    if (o instanceof GArray && o.props.size === 0 && o.cls === 'Array' && o.proto === AP) return R.newArray(o.items.slice(s, e) as Value[]);
    const out: Value[] = [];
    const res = R.newArray(out);
    for (let i = s; i < e; i++) if (hasI(o, i)) R.set(res, String(i - s), getI(o, i));
    setLen(res, Math.max(0, e - s));
    return res;
  });
  R.method(AP, 'splice', 2, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    const s = relIndex(arg(a, 0), n, 0);
    const dc = a.length === 0 ? 0 : a.length === 1 ? n - s : Math.min(Math.max(R.toIntegerOrInfinity(arg(a, 1)), 0), n - s);
    const ins = a.slice(2);
    R.charge(n);
    if (o instanceof GArray && o.lengthWritable && !o.frozenElems && o.props.size === 0) {
      R.chargeHeap(ins.length * 8);
      const removed = o.items.splice(s, dc, ...ins);
      return R.newArray(removed.map((x) => (x === HOLE ? undefined : x)) as Value[]);
    }
    const removed: Value[] = [];
    for (let i = 0; i < dc; i++) removed.push(getI(o, s + i));
    const rest: Value[] = [];
    for (let i = s + dc; i < n; i++) rest.push(getI(o, i));
    let w = s;
    for (const x of ins) R.set(o, String(w++), x);
    for (const x of rest) R.set(o, String(w++), x);
    for (let i = w; i < n; i++) R.deleteProp(o, String(i));
    setLen(o, w);
    return R.newArray(removed);
  });
  R.method(AP, 'concat', 1, (t, a) => {
    const out: (Value | typeof HOLE)[] = [];
    for (const x of [toObj(t), ...a]) {
      const spreadable = x instanceof GObj ? x.get(Symbol.isConcatSpreadable, x) : undefined;
      const spread = spreadable !== undefined ? R.toBoolean(spreadable) : x instanceof GArray && x.cls === 'Array';
      if (spread && x instanceof GObj) {
        const n = len(x);
        R.charge(n);
        if (x instanceof GArray && x.props.size === 0) for (let i = 0; i < n; i++) out.push(x.items[i]!);
        else for (let i = 0; i < n; i++) out.push(hasI(x, i) ? getI(x, i) : HOLE);
      } else out.push(x);
    }
    return R.newArray(out as Value[]);
  });
  // Arrays being joined right now: a cycle (a.push(a); a.join()) joins as '' where it recurs, as
  // engines do, instead of recursing until the host stack runs out.
  const joining = new Set<GObj>();
  R.method(AP, 'join', 1, (t, a) => {
    const o = toObj(t);
    if (joining.has(o)) return '';
    joining.add(o);
    try {
      return join(o, a);
    } finally {
      joining.delete(o);
    }
  });
  const join = (o: GObj, a: Value[]): string => {
    const sep = arg(a, 0) === undefined ? ',' : R.toString(arg(a, 0));
    const n = len(o);
    R.charge(n);
    const parts: string[] = [];
    let total = 0;
    const dense = o instanceof GArray ? o.items : undefined;
    for (let i = 0; i < n; i++) {
      const d = dense !== undefined ? dense[i] : HOLE;
      if (typeof d === 'string') {
        total += d.length + sep.length;
        parts.push(d);
        continue;
      }
      const v = getI(o, i);
      const s = v === undefined || v === null ? '' : R.toString(v);
      total += s.length + sep.length;
      parts.push(s);
    }
    if (total > R.maxStringLength) throw new LimitExceeded('heapBytes', R.shownLimits.heapBytes, `a string of ${total} characters`);
    R.chargeString(total);
    return parts.join(sep);
  };
  R.method(AP, 'toString', 0, (t) => {
    const j = R.get(t, 'join');
    return j instanceof GFunction ? R.call(j, t, []) : objectToString(R, t);
  });
  R.method(AP, 'toLocaleString', 0, (t) => R.call(R.get(t, 'join'), t, []));
  R.method(AP, 'reverse', 0, (t) => {
    const o = toObj(t);
    R.charge(len(o) >> 2);
    if (o instanceof GArray && !o.frozenElems && o.props.size === 0) {
      o.items.reverse();
      return o;
    }
    const n = len(o);
    for (let i = 0, j = n - 1; i < j; i++, j--) {
      const x = getI(o, i);
      setI(o, i, getI(o, j));
      setI(o, j, x);
    }
    return o;
  });
  const indexOf = (t: Value, a: Value[], kind: 'indexOf' | 'includes' | 'lastIndexOf'): number | boolean => {
    const o = toObj(t);
    const n = len(o);
    const x = arg(a, 0);
    R.charge(n);
    if (kind === 'lastIndexOf') {
      let k = a.length > 1 ? R.toIntegerOrInfinity(a[1]) : n - 1;
      if (k < 0) k += n;
      for (let i = Math.min(k, n - 1); i >= 0; i--) if (hasI(o, i) && getI(o, i) === x) return i;
      return -1;
    }
    const s = relIndex(arg(a, 1), n, 0);
    for (let i = s; i < n; i++) {
      if (kind === 'includes') {
        const v = getI(o, i);
        if (v === x || (v !== v && x !== x)) return true;
      } else if (hasI(o, i) && getI(o, i) === x) return i;
    }
    return kind === 'includes' ? false : -1;
  };
  R.method(AP, 'indexOf', 1, (t, a) => indexOf(t, a, 'indexOf'));
  R.method(AP, 'lastIndexOf', 1, (t, a) => indexOf(t, a, 'lastIndexOf'));
  R.method(AP, 'includes', 1, (t, a) => indexOf(t, a, 'includes'));

  const iterating = (name: string, body: (o: GObj, n: number, f: GFunction, thisArg: Value) => Value) => {
    R.method(AP, name, 1, (t, a) => {
      const o = toObj(t);
      const n = len(o);
      return body(o, n, fnArg(a, 0, name), arg(a, 1));
    });
  };
  iterating('forEach', (o, n, f, ta) => {
    for (let i = 0; i < n; i++) if (hasI(o, i)) f.invoke(ta, [getI(o, i), i, o]);
    return undefined;
  });
  iterating('map', (o, n, f, ta) => {
    const out = speciesCreate(o, n);
    if (out instanceof GArray && out.proto === AP) out.grow(n);
    for (let i = 0; i < n; i++) if (hasI(o, i)) R.defineData(out, String(i), f.invoke(ta, [getI(o, i), i, o]));
    return out;
  });
  iterating('filter', (o, n, f, ta) => {
    const out = speciesCreate(o, 0);
    let j = 0;
    for (let i = 0; i < n; i++) {
      if (!hasI(o, i)) continue;
      const v = getI(o, i);
      if (R.toBoolean(f.invoke(ta, [v, i, o]))) R.defineData(out, String(j++), v);
    }
    return out;
  });
  iterating('some', (o, n, f, ta) => {
    for (let i = 0; i < n; i++) if (hasI(o, i) && R.toBoolean(f.invoke(ta, [getI(o, i), i, o]))) return true;
    return false;
  });
  iterating('every', (o, n, f, ta) => {
    for (let i = 0; i < n; i++) if (hasI(o, i) && !R.toBoolean(f.invoke(ta, [getI(o, i), i, o]))) return false;
    return true;
  });
  iterating('find', (o, n, f, ta) => {
    for (let i = 0; i < n; i++) {
      const v = getI(o, i);
      if (R.toBoolean(f.invoke(ta, [v, i, o]))) return v;
    }
    return undefined;
  });
  iterating('findIndex', (o, n, f, ta) => {
    for (let i = 0; i < n; i++) if (R.toBoolean(f.invoke(ta, [getI(o, i), i, o]))) return i;
    return -1;
  });
  iterating('findLast', (o, n, f, ta) => {
    for (let i = n - 1; i >= 0; i--) {
      const v = getI(o, i);
      if (R.toBoolean(f.invoke(ta, [v, i, o]))) return v;
    }
    return undefined;
  });
  iterating('findLastIndex', (o, n, f, ta) => {
    for (let i = n - 1; i >= 0; i--) if (R.toBoolean(f.invoke(ta, [getI(o, i), i, o]))) return i;
    return -1;
  });
  const reduce = (right: boolean) => (t: Value, a: Value[]) => {
    const o = toObj(t);
    const n = len(o);
    const f = fnArg(a, 0, right ? 'reduceRight' : 'reduce');
    let i = right ? n - 1 : 0;
    const step = right ? -1 : 1;
    let acc: Value;
    if (a.length > 1) acc = a[1];
    else {
      while (i >= 0 && i < n && !hasI(o, i)) i += step;
      if (i < 0 || i >= n) R.typeError('Reduce of empty array with no initial value');
      acc = getI(o, i);
      i += step;
    }
    for (; i >= 0 && i < n; i += step) if (hasI(o, i)) acc = f.invoke(undefined, [acc, getI(o, i), i, o]);
    return acc;
  };
  R.method(AP, 'reduce', 1, reduce(false));
  R.method(AP, 'reduceRight', 1, reduce(true));

  const sortList = (items: Value[], cmp: Value): Value[] => {
    if (cmp !== undefined && !(cmp instanceof GFunction)) R.typeError('The comparison function must be either a function or undefined');
    const undef: Value[] = [];
    const vals: Value[] = [];
    for (const x of items) (x === undefined ? undef : vals).push(x);
    R.charge(vals.length * Math.max(1, Math.ceil(Math.log2(vals.length + 1))));
    // A merge sort of our own: the result must not depend on the host's sort algorithm, and the
    // comparator is guest code that may be inconsistent.
    const compare = cmp
      ? (x: Value, y: Value): number => {
          const r = R.toNumber(cmp.invoke(undefined, [x, y]));
          return r !== r ? 0 : r;
        }
      : (x: Value, y: Value): number => {
          const xs = R.toString(x);
          const ys = R.toString(y);
          return xs < ys ? -1 : xs > ys ? 1 : 0;
        };
    const sorted = mergeSort(vals, compare);
    return [...sorted, ...undef];
  };
  R.method(AP, 'sort', 1, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    const items: Value[] = [];
    let holes = 0;
    for (let i = 0; i < n; i++) {
      if (hasI(o, i)) items.push(getI(o, i));
      else holes++;
    }
    const sorted = sortList(items, arg(a, 0));
    for (let i = 0; i < sorted.length; i++) setI(o, i, sorted[i]);
    for (let i = sorted.length; i < sorted.length + holes; i++) R.deleteProp(o, String(i));
    return o;
  });
  R.method(AP, 'toSorted', 1, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    const items: Value[] = [];
    for (let i = 0; i < n; i++) items.push(getI(o, i));
    return R.newArray(sortList(items, arg(a, 0)));
  });
  R.method(AP, 'toReversed', 0, (t) => {
    const o = toObj(t);
    const n = len(o);
    const out: Value[] = [];
    for (let i = n - 1; i >= 0; i--) out.push(getI(o, i));
    return R.newArray(out);
  });
  R.method(AP, 'toSpliced', 2, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    const s = relIndex(arg(a, 0), n, 0);
    const dc = a.length === 0 ? 0 : a.length === 1 ? n - s : Math.min(Math.max(R.toIntegerOrInfinity(arg(a, 1)), 0), n - s);
    const out: Value[] = [];
    for (let i = 0; i < s; i++) out.push(getI(o, i));
    out.push(...a.slice(2));
    for (let i = s + dc; i < n; i++) out.push(getI(o, i));
    return R.newArray(out);
  });
  R.method(AP, 'with', 2, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    let k = R.toIntegerOrInfinity(arg(a, 0));
    if (k < 0) k += n;
    if (k < 0 || k >= n) R.rangeError('Invalid index');
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(i === k ? arg(a, 1) : getI(o, i));
    return R.newArray(out);
  });
  R.method(AP, 'fill', 1, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    const s = relIndex(arg(a, 1), n, 0);
    const e = relIndex(arg(a, 2), n, n);
    R.charge(Math.max(0, e - s));
    for (let i = s; i < e; i++) {
      if (o instanceof GArray && !o.frozenElems) o.items[i] = arg(a, 0);
      else R.set(o, String(i), arg(a, 0));
    }
    return o;
  });
  R.method(AP, 'copyWithin', 2, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    const to = relIndex(arg(a, 0), n, 0);
    const from = relIndex(arg(a, 1), n, 0);
    const end = relIndex(arg(a, 2), n, n);
    const count = Math.min(end - from, n - to);
    R.charge(Math.max(0, count));
    const vals: Value[] = [];
    for (let i = 0; i < count; i++) vals.push(getI(o, from + i));
    for (let i = 0; i < count; i++) setI(o, to + i, vals[i]);
    return o;
  });
  R.method(AP, 'at', 1, (t, a) => {
    const o = toObj(t);
    const n = len(o);
    let k = R.toIntegerOrInfinity(arg(a, 0));
    if (k < 0) k += n;
    return k < 0 || k >= n ? undefined : getI(o, k);
  });
  const flatten = (out: Value[], o: GObj, depth: number): void => {
    const n = len(o);
    R.charge(n);
    for (let i = 0; i < n; i++) {
      if (!hasI(o, i)) continue;
      const v = getI(o, i);
      if (depth > 0 && v instanceof GArray && v.cls === 'Array') flatten(out, v, depth - 1);
      else out.push(v);
    }
  };
  R.method(AP, 'flat', 0, (t, a) => {
    const out: Value[] = [];
    const d = arg(a, 0) === undefined ? 1 : R.toIntegerOrInfinity(arg(a, 0));
    flatten(out, toObj(t), d);
    return R.newArray(out);
  });
  R.method(AP, 'flatMap', 1, (t, a) => {
    const o = toObj(t);
    const f = fnArg(a, 0, 'flatMap');
    const n = len(o);
    const out: Value[] = [];
    for (let i = 0; i < n; i++) {
      if (!hasI(o, i)) continue;
      const v = f.invoke(arg(a, 1), [getI(o, i), i, o]);
      if (v instanceof GArray && v.cls === 'Array') flatten(out, v, 0);
      else out.push(v);
    }
    return R.newArray(out);
  });

  const makeIter = (t: Value, kind: 0 | 1 | 2): GObj => {
    const it = new GObj(AIP, 'ArrayIterator');
    it.internal = { target: toObj(t), i: 0, kind };
    return it;
  };
  R.method(AP, 'keys', 0, (t) => makeIter(t, 0));
  R.ArrayValues = R.method(AP, 'values', 0, (t) => makeIter(t, 1));
  AP.put(Symbol.iterator, R.ArrayValues);
  R.method(AP, 'entries', 0, (t) => makeIter(t, 2));
  R.ArrayIteratorNext = R.method(AIP, 'next', 0, (t) => {
    if (!(t instanceof GObj) || t.cls !== 'ArrayIterator') R.typeError('next method called on incompatible receiver');
    const st = t.internal as { target: GObj | undefined; i: number; kind: number };
    const o = st.target;
    if (o === undefined) return R.iterResult(undefined, true);
    const n = o.cls === 'TypedArray' ? (o.internal as { length: number }).length : len(o);
    if (st.i >= n) {
      st.target = undefined;
      return R.iterResult(undefined, true);
    }
    const i = st.i++;
    if (st.kind === 0) return R.iterResult(i, false);
    const v = o instanceof GArray ? getI(o, i) : o.get(String(i), o);
    return R.iterResult(st.kind === 1 ? v : R.newArray([i, v]), false);
  });
  const unscopables = new GObj(null);
  for (const k of ['at', 'copyWithin', 'entries', 'fill', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat', 'flatMap', 'includes', 'keys', 'toReversed', 'toSorted', 'toSpliced', 'values']) R.defineData(unscopables, k, true);
  AP.put(Symbol.unscopables, unscopables, CONFIGURABLE);
}

export function mergeSort(a: Value[], cmp: (x: Value, y: Value) => number): Value[] {
  if (a.length < 2) return a.slice();
  const mid = a.length >> 1;
  const l = mergeSort(a.slice(0, mid), cmp);
  const r = mergeSort(a.slice(mid), cmp);
  const out: Value[] = [];
  let i = 0;
  let j = 0;
  while (i < l.length && j < r.length) out.push(cmp(r[j], l[i]) < 0 ? r[j++] : l[i++]);
  while (i < l.length) out.push(l[i++]);
  while (j < r.length) out.push(r[j++]);
  return out;
}
