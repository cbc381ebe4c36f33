// The guest object model. Guest code only ever sees primitives and instances of GObj: host objects
// and host functions are never handed to it, so no property walk from guest code can reach the
// host realm. Symbols are the one host primitive shared as-is: they carry no properties of their
// own, and property lookups on them go through the guest Symbol.prototype.

export type Value = undefined | null | boolean | number | string | bigint | symbol | GObj;
export type Key = string | symbol;

/** Marks a hole in an array's dense storage. Never escapes to guest code. */
export const HOLE: unique symbol = Symbol('hole');
/** An uninitialised let/const/class binding (temporal dead zone). */
export const TDZ: unique symbol = Symbol('tdz');

export const WRITABLE = 1;
export const ENUMERABLE = 2;
export const CONFIGURABLE = 4;
export const ACCESSOR = 8;
export const DEFAULT_DATA = WRITABLE | ENUMERABLE | CONFIGURABLE;
/** Methods and built-in properties: writable and configurable, not enumerable. */
export const HIDDEN = WRITABLE | CONFIGURABLE;

/** A `#name` of one class evaluation: the same source name in two evaluations are distinct keys. */
export class PrivateName {
  constructor(readonly name: string) {}
}

// Fields are `declare`d and assigned in constructors: native class-field definitions run a
// separate initializer with define semantics, which is measurably slower for objects created at
// the rate guest code creates them.

export class Slot {
  declare v: Value;
  declare g: GObj | undefined;
  declare s: GObj | undefined;
  declare f: number;
  constructor(v: Value, g: GObj | undefined, s: GObj | undefined, f: number) {
    this.v = v;
    this.g = g;
    this.s = s;
    this.f = f;
  }
}

/** What the object model needs from the realm; kept narrow so this module has no imports. */
export interface ObjectHost {
  callGetter(getter: GObj, receiver: Value): Value;
  callSetter(setter: GObj, receiver: Value, v: Value): void;
  typeError(message: string): never;
  chargeHeap(bytes: number): void;
}

export const host: { realm: ObjectHost } = { realm: undefined as unknown as ObjectHost };

/** Canonical array index of a property key, or -1. */
export function arrayIndex(k: Key): number {
  if (typeof k !== 'string') return -1;
  const n = k.length;
  if (n === 0 || n > 10) return -1;
  const c = k.charCodeAt(0);
  if (c < 48 || c > 57 || (c === 48 && n > 1)) return -1;
  for (let i = 1; i < n; i++) {
    const d = k.charCodeAt(i);
    if (d < 48 || d > 57) return -1;
  }
  const v = +k;
  return v < 4294967295 ? v : -1;
}

export interface Descriptor {
  value?: Value;
  get?: GObj | undefined;
  set?: GObj | undefined;
  writable?: boolean;
  enumerable?: boolean;
  configurable?: boolean;
}

export class GObj {
  declare props: Map<Key, Slot>;
  declare proto: GObj | null;
  declare extensible: boolean;
  /** Internal class tag: 'Object', 'Array', 'Function', 'Error', 'Map', … */
  declare cls: string;
  /** Internal slots of exotic and built-in objects (Map storage, Date value, boxed primitive, …). */
  declare internal: any;
  /** True for objects that override getOwn (arrays, typed arrays, lazily materialised functions). */
  declare exotic: boolean;
  /** Private elements (#x), keyed by the class evaluation's private name. */
  declare priv: Map<PrivateName, Slot> | undefined;
  constructor(proto: GObj | null, cls = 'Object') {
    this.props = new Map();
    this.proto = proto;
    this.extensible = true;
    this.cls = cls;
    this.internal = undefined;
    this.exotic = false;
    this.priv = undefined;
    // An object and its property map cost V8 roughly this much.
    host.realm.chargeHeap(120);
  }

  getOwn(k: Key): Slot | undefined {
    return this.props.get(k);
  }

  get(k: Key, receiver: Value): Value {
    let o: GObj | null = this;
    while (o !== null) {
      let s: Slot | undefined;
      if (o.exotic) {
        // A proxy anywhere on the chain takes over with its own [[Get]] (the get trap).
        if (o.cls === 'Proxy' && o !== this) return o.get(k, receiver);
        s = o.getOwn(k);
      } else s = o.props.get(k);
      if (s !== undefined) {
        if (s.f & ACCESSOR) return s.g === undefined ? undefined : host.realm.callGetter(s.g, receiver);
        return s.v;
      }
      o = o.proto;
    }
    return undefined;
  }

  getProto(): GObj | null {
    return this.proto;
  }

  setProto(p: GObj | null): boolean {
    if (p === this.proto) return true;
    if (!this.extensible) return false;
    for (let q = p; q !== null; q = q.proto) if (q === this) return false;
    this.proto = p;
    return true;
  }

  has(k: Key): boolean {
    for (let o: GObj | null = this; o !== null; o = o.getProto()) {
      if (o !== this && o.cls === 'Proxy') return o.has(k);
      if (o.getOwn(k) !== undefined) return true;
    }
    return false;
  }

  /** [[Set]] with strict-mode failure: returns false when the assignment is refused. */
  set(k: Key, v: Value, receiver: Value): boolean {
    const own = this.getOwn(k);
    if (own !== undefined) {
      if (own.f & ACCESSOR) {
        if (own.s === undefined) return false;
        host.realm.callSetter(own.s, receiver, v);
        return true;
      }
      if (!(own.f & WRITABLE)) return false;
      if (receiver === this) return this.writeOwn(k, own, v);
      return setOnReceiver(k, v, receiver);
    }
    const p = this.getProto();
    if (p !== null) return p.set(k, v, receiver);
    return setOnReceiver(k, v, receiver);
  }

  /** Overwrites the value of an existing writable own data property. */
  writeOwn(_k: Key, s: Slot, v: Value): boolean {
    s.v = v;
    return true;
  }

  /** Adds a new own data property with default attributes; false if the object is not extensible. */
  addOwn(k: Key, v: Value): boolean {
    if (!this.extensible) return false;
    host.realm.chargeHeap(40);
    this.props.set(k, new Slot(v, undefined, undefined, DEFAULT_DATA));
    return true;
  }

  defineOwn(k: Key, d: Descriptor): boolean {
    const cur = this.getOwn(k);
    if (cur === undefined) {
      if (!this.extensible) return false;
      host.realm.chargeHeap(40);
      const acc = d.get !== undefined || d.set !== undefined || (('get' in d || 'set' in d) && !('value' in d));
      const f = (d.writable ? WRITABLE : 0) | (d.enumerable ? ENUMERABLE : 0) | (d.configurable ? CONFIGURABLE : 0) | (acc ? ACCESSOR : 0);
      this.props.set(k, new Slot(acc ? undefined : d.value, d.get, d.set, acc ? f & ~WRITABLE : f));
      return true;
    }
    return validateAndApply(cur, d);
  }

  delete(k: Key): boolean {
    const s = this.getOwn(k);
    if (s === undefined) return true;
    if (!(s.f & CONFIGURABLE)) return false;
    this.props.delete(k);
    return true;
  }

  /** Own keys in spec order: integer indices ascending, then strings, then symbols, each by creation. */
  ownKeys(): Key[] {
    const ints: number[] = [];
    const strs: string[] = [];
    const syms: symbol[] = [];
    for (const k of this.props.keys()) {
      if (typeof k === 'symbol') syms.push(k);
      else {
        const i = arrayIndex(k);
        if (i >= 0) ints.push(i);
        else strs.push(k);
      }
    }
    if (ints.length === 0) return [...strs, ...syms];
    ints.sort((a, b) => a - b);
    return [...ints.map(String), ...strs, ...syms];
  }

  preventExtensions(): boolean {
    this.extensible = false;
    return true;
  }

  /** A data property defined by the realm itself (methods, constants). */
  put(k: Key, v: Value, f = HIDDEN): void {
    this.props.set(k, new Slot(v, undefined, undefined, f));
  }
}

function setOnReceiver(k: Key, v: Value, receiver: Value): boolean {
  if (!(receiver instanceof GObj)) return false;
  const ex = receiver.getOwn(k);
  if (ex !== undefined) {
    if (ex.f & ACCESSOR || !(ex.f & WRITABLE)) return false;
    return receiver.writeOwn(k, ex, v);
  }
  return receiver.addOwn(k, v);
}

function validateAndApply(cur: Slot, d: Descriptor): boolean {
  const curAcc = (cur.f & ACCESSOR) !== 0;
  if (!(cur.f & CONFIGURABLE)) {
    if (d.configurable) return false;
    if (d.enumerable !== undefined && d.enumerable !== ((cur.f & ENUMERABLE) !== 0)) return false;
    const wantAcc = 'get' in d || 'set' in d;
    const wantData = 'value' in d || 'writable' in d;
    if (wantAcc && !curAcc) return false;
    if (wantData && curAcc) return false;
    if (curAcc) {
      if (('get' in d && d.get !== cur.g) || ('set' in d && d.set !== cur.s)) return false;
    } else if (!(cur.f & WRITABLE)) {
      if (d.writable) return false;
      if ('value' in d && !Object.is(d.value, cur.v)) return false;
    }
  }
  if ('get' in d || 'set' in d) {
    if (!curAcc) {
      cur.f = (cur.f & (ENUMERABLE | CONFIGURABLE)) | ACCESSOR;
      cur.v = undefined;
      cur.g = undefined;
      cur.s = undefined;
    }
    if ('get' in d) cur.g = d.get;
    if ('set' in d) cur.s = d.set;
  } else if ('value' in d || 'writable' in d) {
    if (curAcc) {
      cur.f &= ENUMERABLE | CONFIGURABLE;
      cur.g = cur.s = undefined;
      cur.v = undefined;
    }
    if ('value' in d) cur.v = d.value;
    if (d.writable !== undefined) cur.f = d.writable ? cur.f | WRITABLE : cur.f & ~WRITABLE;
  }
  if (d.enumerable !== undefined) cur.f = d.enumerable ? cur.f | ENUMERABLE : cur.f & ~ENUMERABLE;
  if (d.configurable !== undefined) cur.f = d.configurable ? cur.f | CONFIGURABLE : cur.f & ~CONFIGURABLE;
  return true;
}

/**
 * Arrays keep their elements in a dense host array (HOLE marks a hole) and synthesise the
 * `length` property; growth is charged to the heap budget so `a[1e9] = 1` fails as a limit.
 */
export class GArray extends GObj {
  declare items: (Value | typeof HOLE)[];
  declare lengthWritable: boolean;
  declare frozenElems: boolean;
  constructor(proto: GObj | null, items: (Value | typeof HOLE)[] = []) {
    super(proto, 'Array');
    this.exotic = true;
    this.items = items;
    this.lengthWritable = true;
    this.frozenElems = false;
    if (items.length > 8) host.realm.chargeHeap(items.length * 8);
  }

  override getOwn(k: Key): Slot | undefined {
    if (k === 'length') return new Slot(this.items.length, undefined, undefined, this.lengthWritable ? WRITABLE : 0);
    const i = arrayIndex(k);
    if (i >= 0 && i < this.items.length) {
      const v = this.items[i];
      if (v !== HOLE) return new Slot(v, undefined, undefined, this.frozenElems ? ENUMERABLE : DEFAULT_DATA);
      return this.props.get(k);
    }
    return this.props.get(k);
  }


  override get(k: Key, receiver: Value): Value {
    if (typeof k === 'string') {
      if (k === 'length') return this.items.length;
      const c = k.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        const i = arrayIndex(k);
        if (i >= 0 && i < this.items.length) {
          const v = this.items[i];
          if (v !== HOLE) return v;
        }
      }
    }
    // Method lookups (`arr.push`) go straight to the property map and the prototype.
    const s = this.props.get(k);
    if (s !== undefined) return s.f & ACCESSOR ? (s.g === undefined ? undefined : host.realm.callGetter(s.g, receiver)) : s.v;
    const p = this.proto;
    return p === null ? undefined : p.get(k, receiver);
  }

  getIndex(i: number): Value {
    const v = this.items[i];
    if (v !== HOLE && v !== undefined) return v;
    return this.get(String(i), this);
  }

  override writeOwn(k: Key, s: Slot, v: Value): boolean {
    if (k === 'length') return this.setLength(v);
    const i = arrayIndex(k);
    if (i >= 0 && i < this.items.length && this.items[i] !== HOLE) {
      this.items[i] = v;
      return true;
    }
    s.v = v;
    return true;
  }

  override addOwn(k: Key, v: Value): boolean {
    const i = arrayIndex(k);
    if (i >= 0) {
      if (!this.extensible) return false;
      if (i >= this.items.length) {
        if (!this.lengthWritable) return false;
        this.grow(i + 1);
      }
      this.items[i] = v;
      return true;
    }
    return super.addOwn(k, v);
  }

  grow(n: number): void {
    const old = this.items.length;
    if (n <= old) return;
    host.realm.chargeHeap((n - old) * 8);
    if (n - old > 64) {
      this.items.length = n;
      this.items.fill(HOLE, old, n);
    } else for (let j = old; j < n; j++) this.items.push(HOLE);
  }

  setLength(v: Value): boolean {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 4294967295) {
      const r = host.realm as unknown as { rangeError(m: string): never };
      r.rangeError('Invalid array length');
    }
    if (!this.lengthWritable) return n === this.items.length;
    if (n < this.items.length) this.items.length = n;
    else this.grow(n);
    return true;
  }

  override defineOwn(k: Key, d: Descriptor): boolean {
    if (k === 'length') {
      if ('value' in d && !this.setLength(d.value)) return false;
      if (d.writable === false) this.lengthWritable = false;
      return true;
    }
    const i = arrayIndex(k);
    if (i >= 0) {
      const plain = !('get' in d) && !('set' in d) && d.writable !== false && d.enumerable !== false && d.configurable !== false;
      if (plain && !this.frozenElems && (i < this.items.length ? this.items[i] !== HOLE || !this.props.has(k) : this.extensible)) {
        if (i >= this.items.length) {
          if (!this.lengthWritable) return false;
          this.grow(i + 1);
        }
        if ('value' in d) this.items[i] = d.value;
        else if (this.items[i] === HOLE) this.items[i] = undefined;
        return true;
      }
      // An element with non-default attributes leaves the dense storage.
      if (i < this.items.length && this.items[i] !== HOLE) {
        const s = new Slot(this.items[i] as Value, undefined, undefined, this.frozenElems ? ENUMERABLE : DEFAULT_DATA);
        this.items[i] = HOLE;
        this.props.set(k, s);
      } else if (i >= this.items.length) {
        if (!this.extensible || !this.lengthWritable) return false;
        this.grow(i + 1);
      }
    }
    return super.defineOwn(k, d);
  }

  override delete(k: Key): boolean {
    const i = arrayIndex(k);
    if (i >= 0 && i < this.items.length && this.items[i] !== HOLE) {
      if (this.frozenElems) return false;
      this.items[i] = HOLE;
      return true;
    }
    if (k === 'length') return false;
    return super.delete(k);
  }

  override ownKeys(): Key[] {
    const keys: Key[] = [];
    const sparse = this.props.size > 0;
    for (let i = 0; i < this.items.length; i++) if (this.items[i] !== HOLE || (sparse && this.props.has(String(i)))) keys.push(String(i));
    keys.push('length');
    for (const k of super.ownKeys()) if (arrayIndex(k) < 0) keys.push(k);
    return keys;
  }
}

export type NativeImpl = (thisArg: Value, args: Value[], newTarget: GObj | undefined) => Value;

/** Every guest callable. `invoke` is [[Call]], `build` is [[Construct]] (absent: not a constructor). */
export abstract class GFunction extends GObj {
  constructor(proto: GObj | null) {
    super(proto, 'Function');
    this.isConstructor = true;
  }
  abstract invoke(thisArg: Value, args: Value[]): Value;
  /** [[Construct]]; only called when `isConstructor`. */
  abstract build(args: Value[], newTarget: GObj): Value;
  /** Whether the function has [[Construct]] (a field, so every function keeps one shape). */
  declare isConstructor: boolean;
  abstract displayName(): string;
}

export class NativeFunction extends GFunction {
  declare name: string;
  declare impl: NativeImpl;
  /** Same behaviour as `impl` for a call with exactly one argument, without an argument array. */
  declare impl1: ((thisArg: Value, a0: Value) => Value) | undefined;
  /** Same for exactly two arguments. */
  declare impl2: ((thisArg: Value, a0: Value, a1: Value) => Value) | undefined;
  constructor(
    proto: GObj | null,
    name: string,
    impl: NativeImpl,
    /** Called for `new F(...)`; `true` means impl handles construction itself. */
    construct: boolean,
  ) {
    super(proto);
    this.name = name;
    this.impl = impl;
    this.impl1 = undefined;
    this.impl2 = undefined;
    this.isConstructor = construct;
  }
  invoke(thisArg: Value, args: Value[]): Value {
    return this.impl(thisArg, args, undefined);
  }
  build(args: Value[], newTarget: GObj): Value {
    return this.impl(undefined, args, newTarget);
  }
  displayName(): string {
    return this.name;
  }
}

export class BoundFunction extends GFunction {
  declare target: GFunction;
  declare boundThis: Value;
  declare boundArgs: Value[];
  constructor(proto: GObj | null, target: GFunction, boundThis: Value, boundArgs: Value[]) {
    super(proto);
    this.target = target;
    this.boundThis = boundThis;
    this.boundArgs = boundArgs;
    this.isConstructor = target.isConstructor;
  }
  invoke(_thisArg: Value, args: Value[]): Value {
    return this.target.invoke(this.boundThis, [...this.boundArgs, ...args]);
  }
  build(args: Value[], newTarget: GObj): Value {
    return this.target.build([...this.boundArgs, ...args], newTarget === this ? this.target : newTarget);
  }
  displayName(): string {
    return 'bound ' + this.target.displayName();
  }
}

export function isCallable(v: Value): v is GFunction {
  return v instanceof GFunction;
}
