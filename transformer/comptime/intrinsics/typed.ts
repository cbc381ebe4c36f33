// ArrayBuffer and the typed arrays. Element storage is a host typed array over a host ArrayBuffer;
// elements are numbers or bigints, so reads and writes move primitives only.

import type { Realm } from '../realm.js';
import { CONFIGURABLE, DEFAULT_DATA, GArray, GFunction, GObj, Slot, arrayIndex, type Descriptor, type Key, type Value } from '../values.js';
import { arg } from './base.js';

type HostTA = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;
const KINDS: Record<string, { new (b: ArrayBuffer, o: number, l: number): HostTA; BYTES_PER_ELEMENT: number }> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

export interface TAState {
  type: string;
  buffer: GObj;
  byteOffset: number;
  length: number;
  view: HostTA;
  big: boolean;
}

/** Integer-indexed exotic object: indices read and write the host view; no holes, no extra indices. */
export class GTypedArray extends GObj {
  declare internal: TAState;
  constructor(proto: GObj, st: TAState) {
    super(proto, 'TypedArray');
    this.exotic = true;
    this.internal = st;
  }
  private index(k: Key): number {
    if (typeof k !== 'string') return -2;
    const i = arrayIndex(k);
    if (i >= 0) return i;
    // Canonical numeric strings that are not valid indices ('-0', '1.5', '-1') are still integer-indexed.
    if (k === '-0' || (String(Number(k)) === k && k !== 'NaN' && k !== 'Infinity' && k !== '-Infinity')) return -1;
    return -2;
  }
  override getOwn(k: Key): Slot | undefined {
    const i = this.index(k);
    if (i === -2) return super.getOwn(k);
    if (i < 0 || i >= this.internal.length) return undefined;
    return new Slot(this.internal.view[i] as Value, undefined, undefined, DEFAULT_DATA);
  }
  override get(k: Key, receiver: Value): Value {
    const i = this.index(k);
    if (i === -2) return super.get(k, receiver);
    return i >= 0 && i < this.internal.length ? (this.internal.view[i] as Value) : undefined;
  }
  override set(k: Key, v: Value, receiver: Value): boolean {
    const i = this.index(k);
    if (i === -2 || receiver !== this) return super.set(k, v, receiver);
    this.write(i, v);
    return true;
  }
  write(i: number, v: Value): void {
    const R = host();
    const x = this.internal.big ? R.toBigInt(v) : R.toNumber(v);
    if (i >= 0 && i < this.internal.length) (this.internal.view as unknown as (number | bigint)[])[i] = x;
  }
  override defineOwn(k: Key, d: Descriptor): boolean {
    const i = this.index(k);
    if (i === -2) return super.defineOwn(k, d);
    if (i < 0 || i >= this.internal.length) return false;
    if (d.configurable === false || d.enumerable === false || 'get' in d || 'set' in d || d.writable === false) return false;
    if ('value' in d) this.write(i, d.value);
    return true;
  }
  override delete(k: Key): boolean {
    const i = this.index(k);
    if (i === -2) return super.delete(k);
    return !(i >= 0 && i < this.internal.length);
  }
  override ownKeys(): Key[] {
    const keys: Key[] = [];
    for (let i = 0; i < this.internal.length; i++) keys.push(String(i));
    return [...keys, ...super.ownKeys()];
  }
}

let current: Realm & { toBigInt(v: Value): bigint };
function host() {
  return current;
}

export function installTyped(R: Realm): void {
  const RB = R as Realm & { toBigInt(v: Value): bigint };
  RB.toBigInt = (v: Value): bigint => {
    const p = R.toPrimitive(v, 'number');
    if (typeof p === 'bigint') return p;
    if (typeof p === 'boolean') return BigInt(p);
    if (typeof p === 'string') {
      try {
        return BigInt(p);
      } catch {
        return R.throwError('SyntaxError', `Cannot convert ${p} to a BigInt`);
      }
    }
    return R.typeError(`Cannot convert ${String(p)} to a BigInt`);
  };
  current = RB;
  const OP = R.ObjectPrototype;

  // ---------------- ArrayBuffer
  const ABP = new GObj(OP);
  const newBuffer = (n: number, proto: GObj = ABP): GObj => {
    if (!Number.isInteger(n) || n < 0) R.rangeError('Invalid array buffer length');
    R.chargeHeap(n);
    const b = new GObj(proto, 'ArrayBuffer');
    b.internal = new Uint8Array(n);
    return b;
  };
  const AB = R.ctor('ArrayBuffer', 1, ABP, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Constructor ArrayBuffer requires 'new'");
    return newBuffer(R.toIntegerOrInfinity(arg(a, 0)), R.protoFrom(nt, ABP));
  });
  const bufBytes = (t: Value): Uint8Array => {
    if (!(t instanceof GObj) || t.cls !== 'ArrayBuffer') R.typeError('Receiver is not an ArrayBuffer');
    return t.internal as Uint8Array;
  };
  R.getter(ABP, 'byteLength', (t) => bufBytes(t).byteLength);
  R.method(ABP, 'slice', 2, (t, a) => {
    const b = bufBytes(t);
    const n = b.byteLength;
    const rel = (v: Value, d: number) => {
      if (v === undefined) return d;
      const k = R.toIntegerOrInfinity(v);
      return k < 0 ? Math.max(n + k, 0) : Math.min(k, n);
    };
    const s = rel(arg(a, 0), 0);
    const e = rel(arg(a, 1), n);
    const out = newBuffer(Math.max(0, e - s));
    (out.internal as Uint8Array).set(b.subarray(s, Math.max(s, e)));
    return out;
  });
  R.method(AB, 'isView', 1, (_t, a) => arg(a, 0) instanceof GTypedArray);
  ABP.put(Symbol.toStringTag, 'ArrayBuffer', CONFIGURABLE);
  R.getter(AB, Symbol.species, (t) => t);

  // ---------------- %TypedArray%
  const TAP = new GObj(OP);
  const TA = R.fn('TypedArray', 0, () => R.typeError('Abstract class TypedArray not directly constructable'), true);
  TA.put('prototype', TAP, 0);
  TAP.put('constructor', TA);
  const st = (t: Value, name: string): TAState => {
    if (!(t instanceof GTypedArray)) R.typeError(`this is not a typed array (in %TypedArray%.prototype.${name})`);
    return t.internal;
  };
  const protos: Record<string, GObj> = {};
  const create = (type: string, len: number, proto?: GObj): GTypedArray => {
    const K = KINDS[type]!;
    const buffer = newBuffer(len * K.BYTES_PER_ELEMENT);
    return wrap(type, buffer, 0, len, proto);
  };
  const wrap = (type: string, buffer: GObj, byteOffset: number, length: number, proto?: GObj): GTypedArray => {
    const K = KINDS[type]!;
    const bytes = buffer.internal as Uint8Array;
    const view = new K(bytes.buffer as ArrayBuffer, bytes.byteOffset + byteOffset, length);
    return new GTypedArray(proto ?? protos[type]!, { type, buffer, byteOffset, length, view, big: type.startsWith('Big') });
  };
  for (const type of Object.keys(KINDS)) {
    const K = KINDS[type]!;
    const P = new GObj(TAP);
    protos[type] = P;
    const C = R.ctor(type, 3, P, (_t, a, nt) => {
      if (nt === undefined) R.typeError(`Constructor ${type} requires 'new'`);
      const proto = R.protoFrom(nt, P);
      const first = arg(a, 0);
      if (!(first instanceof GObj)) return create(type, R.toIntegerOrInfinity(first), proto);
      if (first.cls === 'ArrayBuffer') {
        const bytes = first.internal as Uint8Array;
        const off = R.toIntegerOrInfinity(arg(a, 1));
        if (off % K.BYTES_PER_ELEMENT !== 0) R.rangeError(`start offset of ${type} should be a multiple of ${K.BYTES_PER_ELEMENT}`);
        const len = arg(a, 2) === undefined ? (bytes.byteLength - off) / K.BYTES_PER_ELEMENT : R.toIntegerOrInfinity(arg(a, 2));
        if (!Number.isInteger(len) || len < 0 || off + len * K.BYTES_PER_ELEMENT > bytes.byteLength) R.rangeError(`Invalid typed array length: ${len}`);
        return wrap(type, first, off, len, proto);
      }
      const vals = first instanceof GTypedArray ? Array.from(first.internal.view as ArrayLike<Value>) : first.has(Symbol.iterator) ? R.listFrom(first) : Array.from({ length: R.toLength(first.get('length', first)) }, (_, i) => first.get(String(i), first));
      const out = create(type, vals.length, proto);
      vals.forEach((v, i) => out.write(i, v));
      return out;
    });
    C.setProto(TA);
    C.put('BYTES_PER_ELEMENT', K.BYTES_PER_ELEMENT, 0);
    P.put('BYTES_PER_ELEMENT', K.BYTES_PER_ELEMENT, 0);
  }
  R.method(TA, 'from', 1, (t, a) => {
    const vals = R.listFrom(arg(a, 0));
    const f = arg(a, 1);
    const out = R.construct(t, [vals.length]) as GTypedArray;
    vals.forEach((v, i) => out.write(i, f instanceof GFunction ? R.call(f, arg(a, 2), [v, i]) : v));
    return out;
  });
  R.method(TA, 'of', 0, (t, a) => {
    const out = R.construct(t, [a.length]) as GTypedArray;
    a.forEach((v, i) => out.write(i, v));
    return out;
  });
  R.getter(TA, Symbol.species, (t) => t);
  R.getter(TAP, 'length', (t) => st(t, 'length').length);
  R.getter(TAP, 'byteLength', (t) => st(t, 'byteLength').view.byteLength);
  R.getter(TAP, 'byteOffset', (t) => st(t, 'byteOffset').byteOffset);
  R.getter(TAP, 'buffer', (t) => st(t, 'buffer').buffer);
  R.getter(TAP, Symbol.toStringTag, (t) => (t instanceof GTypedArray ? t.internal.type : undefined));
  R.method(TAP, 'set', 1, (t, a) => {
    const s = st(t, 'set');
    const src = arg(a, 0);
    const off = R.toIntegerOrInfinity(arg(a, 1));
    const vals = src instanceof GTypedArray ? Array.from(src.internal.view as ArrayLike<Value>) : src instanceof GArray ? R.listFrom(src) : R.listFrom(R.call(R.get(R.intrinsics.Array, 'from'), R.intrinsics.Array, [src]));
    if (off < 0 || off + vals.length > s.length) R.rangeError('offset is out of bounds');
    R.charge(vals.length);
    vals.forEach((v, i) => (t as GTypedArray).write(off + i, v));
    return undefined;
  });
  const rel = (v: Value, n: number, d: number) => {
    if (v === undefined) return d;
    const k = R.toIntegerOrInfinity(v);
    return k < 0 ? Math.max(n + k, 0) : Math.min(k, n);
  };
  R.method(TAP, 'subarray', 2, (t, a) => {
    const s = st(t, 'subarray');
    const b = rel(arg(a, 0), s.length, 0);
    const e = rel(arg(a, 1), s.length, s.length);
    return wrap(s.type, s.buffer, s.byteOffset + b * s.view.BYTES_PER_ELEMENT, Math.max(0, e - b));
  });
  R.method(TAP, 'slice', 2, (t, a) => {
    const s = st(t, 'slice');
    const b = rel(arg(a, 0), s.length, 0);
    const e = rel(arg(a, 1), s.length, s.length);
    const out = create(s.type, Math.max(0, e - b));
    R.charge(Math.max(0, e - b));
    (out.internal.view as unknown as { set(x: ArrayLike<unknown>): void }).set(s.view.subarray(b, Math.max(b, e)) as ArrayLike<unknown>);
    return out;
  });
  R.method(TAP, 'map', 1, (t, a) => {
    const s = st(t, 'map');
    const f = arg(a, 0);
    const out = create(s.type, s.length);
    for (let i = 0; i < s.length; i++) out.write(i, R.call(f, arg(a, 1), [s.view[i] as Value, i, t]));
    return out;
  });
  R.method(TAP, 'filter', 1, (t, a) => {
    const s = st(t, 'filter');
    const f = arg(a, 0);
    const kept: Value[] = [];
    for (let i = 0; i < s.length; i++) if (R.toBoolean(R.call(f, arg(a, 1), [s.view[i] as Value, i, t]))) kept.push(s.view[i] as Value);
    const out = create(s.type, kept.length);
    kept.forEach((v, i) => out.write(i, v));
    return out;
  });
  R.method(TAP, 'sort', 1, (t, a) => {
    const s = st(t, 'sort');
    const cmp = arg(a, 0);
    const vals = Array.from(s.view as ArrayLike<number | bigint>);
    R.charge(vals.length * Math.max(1, Math.ceil(Math.log2(vals.length + 1))));
    if (cmp === undefined) vals.sort((x, y) => (x < y ? -1 : x > y ? 1 : Object.is(x, -0) && Object.is(y, 0) ? -1 : 0));
    else {
      const sorted = mergeSortNumbers(vals, (x, y) => R.toNumber(R.call(cmp, undefined, [x, y])));
      vals.splice(0, vals.length, ...sorted);
    }
    vals.forEach((v, i) => ((s.view as unknown as (number | bigint)[])[i] = v));
    return t;
  });
  R.method(TAP, 'toString', 0, (t) => R.call(R.get(t, 'join'), t, []));
  // The remaining methods are the generic Array.prototype algorithms over `length` and indices.
  const AP = R.ArrayPrototype;
  for (const name of ['forEach', 'reduce', 'reduceRight', 'join', 'indexOf', 'lastIndexOf', 'includes', 'every', 'some', 'find', 'findIndex', 'findLast', 'findLastIndex', 'reverse', 'fill', 'at', 'copyWithin', 'keys', 'entries']) {
    const m = AP.getOwn(name)!.v;
    TAP.put(name, m);
  }
  installDataView(R, bufBytes);
  const values = AP.getOwn('values')!.v;
  TAP.put('values', values);
  TAP.put(Symbol.iterator, values);
}

function mergeSortNumbers(a: (number | bigint)[], cmp: (x: Value, y: Value) => number): (number | bigint)[] {
  if (a.length < 2) return a.slice();
  const mid = a.length >> 1;
  const l = mergeSortNumbers(a.slice(0, mid), cmp);
  const r = mergeSortNumbers(a.slice(mid), cmp);
  const out: (number | bigint)[] = [];
  let i = 0;
  let j = 0;
  while (i < l.length && j < r.length) out.push(cmp(r[j]!, l[i]!) < 0 ? r[j++]! : l[i++]!);
  while (i < l.length) out.push(l[i++]!);
  while (j < r.length) out.push(r[j++]!);
  return out;
}

/** DataView over a guest ArrayBuffer's bytes (host DataView on the same host memory). */
function installDataView(R: Realm, bufBytes: (t: Value) => Uint8Array): void {
  const DVP = new GObj(R.ObjectPrototype);
  R.ctor('DataView', 1, DVP, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Constructor DataView requires 'new'");
    const buf = arg(a, 0);
    if (!(buf instanceof GObj) || buf.cls !== 'ArrayBuffer') R.typeError('First argument to DataView constructor must be an ArrayBuffer');
    const bytes = bufBytes(buf);
    const off = R.toIntegerOrInfinity(arg(a, 1));
    const len = arg(a, 2) === undefined ? bytes.byteLength - off : R.toIntegerOrInfinity(arg(a, 2));
    if (off < 0 || off > bytes.byteLength) R.rangeError(`Start offset ${off} is outside the bounds of the buffer`);
    if (len < 0 || off + len > bytes.byteLength) R.rangeError(`Invalid DataView length ${len}`);
    const o = new GObj(R.protoFrom(nt, DVP), 'DataView');
    o.internal = { buffer: buf, byteOffset: off, byteLength: len, view: new DataView(bytes.buffer as ArrayBuffer, bytes.byteOffset + off, len) };
    return o;
  });
  type DVState = { buffer: GObj; byteOffset: number; byteLength: number; view: DataView };
  const st = (t: Value): DVState => (t instanceof GObj && t.cls === 'DataView' ? (t.internal as DVState) : R.typeError('Receiver is not a DataView'));
  R.getter(DVP, 'buffer', (t) => st(t).buffer);
  R.getter(DVP, 'byteLength', (t) => st(t).byteLength);
  R.getter(DVP, 'byteOffset', (t) => st(t).byteOffset);
  DVP.put(Symbol.toStringTag, 'DataView', CONFIGURABLE);
  const kinds: [string, number, boolean][] = [
    ['Int8', 1, false],
    ['Uint8', 1, false],
    ['Int16', 2, false],
    ['Uint16', 2, false],
    ['Int32', 4, false],
    ['Uint32', 4, false],
    ['Float32', 4, false],
    ['Float64', 8, false],
    ['BigInt64', 8, true],
    ['BigUint64', 8, true],
  ];
  const RB = R as Realm & { toBigInt(v: Value): bigint };
  for (const [name, size, big] of kinds) {
    const index = (s: DVState, v: Value): number => {
      const i = R.toIntegerOrInfinity(v);
      if (i < 0 || i + size > s.byteLength) R.rangeError('Offset is outside the bounds of the DataView');
      return i;
    };
    R.method(DVP, `get${name}`, 1, (t, a) => {
      const s = st(t);
      const i = index(s, arg(a, 0));
      return (s.view as unknown as Record<string, (i: number, le: boolean) => number | bigint>)[`get${name}`]!.call(s.view, i, R.toBoolean(arg(a, 1)));
    });
    R.method(DVP, `set${name}`, 2, (t, a) => {
      const s = st(t);
      const i = index(s, arg(a, 0));
      const v = big ? RB.toBigInt(arg(a, 1)) : R.toNumber(arg(a, 1));
      (s.view as unknown as Record<string, (i: number, v: number | bigint, le: boolean) => void>)[`set${name}`]!.call(s.view, i, v, R.toBoolean(arg(a, 2)));
      return undefined;
    });
  }
}
