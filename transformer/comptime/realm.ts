// One evaluation context: the guest global object, the intrinsics, the budgets and the guest call
// stack, plus the abstract operations (ToNumber, [[Get]] on any value, Call, …) shared by compiled
// code and intrinsics. Nothing here touches I/O, timers or the host global object.

import type { ComptimeLimits } from './limits.js';
import { LimitExceeded } from './limits.js';
import {
  ACCESSOR,
  BoundFunction,
  CONFIGURABLE,
  ENUMERABLE,
  GArray,
  GFunction,
  GObj,
  HOLE,
  NativeFunction,
  Slot,
  WRITABLE,
  arrayIndex,
  host,
  type Descriptor,
  type Key,
  type NativeImpl,
  type ObjectHost,
  type Value,
} from './values.js';

/**
 * Host stack exhaustion must reach the entry point as itself (it becomes a depth diagnostic), so
 * code that turns host exceptions from primitive operations into guest errors passes it through.
 */
export function rethrowIfFatal(e: unknown): void {
  if (e instanceof RangeError && /call stack/i.test(e.message)) throw e;
}

/** A guest exception travelling through host frames. Catchable by guest try/catch. */
export class GuestThrow {
  constructor(readonly value: Value) {}
}

/** Fatal evaluation error that guest code cannot catch: unsupported construct, non-determinism, … */
export class EvalFailure {
  constructor(
    readonly message: string,
    readonly notes: string[] = [],
  ) {}
}

export interface SourceInfo {
  fileName: string;
  lineCol(pos: number): { line: number; column: number };
}

/** A position in guest code: file plus character offset. */
export interface Site {
  src: SourceInfo;
  pos: number;
}

export interface Frame {
  /** Undefined for the marker standing for `skipped` frames left out of a snapshot. */
  fn: GFunction | undefined;
  skipped?: number;
  args: Value[];
  /** Where the call was made, in the caller. */
  site: Site | undefined;
}

export type Job = () => void;

const JOB_STEPS = 64;
const NO_ARGS: Value[] = [];

export class Realm implements ObjectHost {
  steps = 0;
  maxSteps: number;
  maxDepth: number;
  heap = 0;
  maxHeap: number;
  /**
   * The limits as the user wrote them, for messages: a comptime(fn, { steps }) call's budget is
   * counted from where the evaluation stood, so maxSteps/maxHeap/maxDepth are not what was written.
   */
  shownLimits: { steps: number; depth: number; heapBytes: number };
  maxStringLength: number;
  regexMs: number;
  // The guest call stack as parallel arrays, so a call allocates nothing for bookkeeping.
  depth = 0;
  fnStack: GFunction[] = [];
  argStack: Value[][] = [];
  siteStack: (Site | undefined)[] = [];
  /** The value of a `return` travelling out through statement completions. */
  ret: Value = undefined;
  /** The label of a `break`/`continue` travelling out through statement completions. */
  label: string | undefined = undefined;
  /** A completion a for-of body produced, held while the loop closes its iterator. */
  pendingCompletion: number | undefined = undefined;
  site: Site | undefined = undefined;
  jobs: Job[] = [];
  /** console output of the guest, collected for the build log. */
  logs: string[] = [];
  /** Per-call-site state of Math.random, so results do not depend on unrelated calls. */
  randomState = new Map<string, number>();

  global!: GObj;
  ObjectPrototype!: GObj;
  FunctionPrototype!: GObj;
  ArrayPrototype!: GObj;
  StringPrototype!: GObj;
  NumberPrototype!: GObj;
  BooleanPrototype!: GObj;
  SymbolPrototype!: GObj;
  BigIntPrototype!: GObj;
  IteratorPrototype!: GObj;
  ArrayIteratorPrototype!: GObj;
  ArrayIteratorNext!: GObj;
  ArrayValues!: GObj;
  intrinsics: Record<string, GObj> = {};
  /** Registry of Symbol.for: per realm, so evaluations cannot see each other. */
  symbolRegistry = new Map<string, symbol>();

  constructor(limits: ComptimeLimits) {
    this.maxSteps = limits.steps;
    this.maxDepth = limits.depth;
    this.maxHeap = limits.heapBytes;
    this.shownLimits = { steps: limits.steps, depth: limits.depth, heapBytes: limits.heapBytes };
    this.maxStringLength = Math.min(Math.floor(limits.heapBytes / 2), 0x1fffffe8);
    this.regexMs = limits.regexMs;
    host.realm = this;
  }

  // ---- budgets ----

  stepLimit(): never {
    throw new LimitExceeded('steps', this.shownLimits.steps);
  }

  charge(n: number): void {
    if ((this.steps += n) > this.maxSteps) this.stepLimit();
  }

  chargeHeap(bytes: number): void {
    if ((this.heap += bytes) > this.maxHeap) throw new LimitExceeded('heapBytes', this.shownLimits.heapBytes);
  }

  checkString(s: string): string {
    if (s.length > this.maxStringLength) throw new LimitExceeded('heapBytes', this.shownLimits.heapBytes, `a string of ${s.length} characters`);
    this.chargeString(s.length);
    return s;
  }

  /**
   * Strings count against the heap limit by the characters an operation adds (a byte each): a
   * guest keeping many large strings alive is charged for them, as for objects. Like every
   * charge this is allocation, not live memory; strings of 64 characters or fewer are free.
   */
  chargeString(chars: number): void {
    if (chars > 64 && (this.heap += chars) > this.maxHeap) throw new LimitExceeded('heapBytes', this.shownLimits.heapBytes);
  }

  takeCompletion(): number | undefined {
    const c = this.pendingCompletion;
    this.pendingCompletion = undefined;
    return c;
  }

  // ---- errors ----

  makeError(kind: string, message: string): GObj {
    const ctor = this.intrinsics[kind];
    const proto = ctor ? (ctor.get('prototype', ctor) as GObj) : this.ObjectPrototype;
    const e = new GObj(proto, 'Error');
    e.put('message', message);
    this.attachStack(e);
    return e;
  }

  attachStack(e: GObj): void {
    e.internal = { frames: this.stackSnapshot(), site: this.site };
    const name = e.get('name', e);
    const msg = e.get('message', e);
    e.put('stack', `${typeof name === 'string' ? name : 'Error'}: ${typeof msg === 'string' ? msg : ''}`);
  }

  throwError(kind: string, message: string): never {
    throw new GuestThrow(this.makeError(kind, message));
  }
  typeError(message: string): never {
    return this.throwError('TypeError', message);
  }
  rangeError(message: string): never {
    return this.throwError('RangeError', message);
  }
  unsupported(what: string): never {
    throw new EvalFailure(`comptime: ${what} is not supported during build-time evaluation`);
  }

  // ---- object model callbacks ----

  callGetter(getter: GObj, receiver: Value): Value {
    return this.call(getter, receiver, []);
  }
  callSetter(setter: GObj, receiver: Value, v: Value): void {
    this.call(setter, receiver, [v]);
  }

  // ---- building intrinsics ----

  fn(name: string, length: number, impl: NativeImpl, ctor = false): NativeFunction {
    const f = new NativeFunction(this.FunctionPrototype, name, impl, ctor);
    f.put('length', length, CONFIGURABLE);
    f.put('name', name, CONFIGURABLE);
    return f;
  }

  method(o: GObj, name: string | symbol, length: number, impl: NativeImpl): NativeFunction {
    const n = typeof name === 'symbol' ? `[${name.description ?? ''}]` : name;
    const f = this.fn(n, length, impl);
    o.put(name, f);
    return f;
  }

  /** Gives the method `name` of `o` a one-argument entry point (hot built-ins called in loops). */
  fast1(o: GObj, name: string, impl1: (thisArg: Value, a0: Value) => Value): void {
    (o.getOwn(name)!.v as NativeFunction).impl1 = impl1;
  }

  fast2(o: GObj, name: string, impl2: (thisArg: Value, a0: Value, a1: Value) => Value): void {
    (o.getOwn(name)!.v as NativeFunction).impl2 = impl2;
  }

  getter(o: GObj, name: string | symbol, impl: (thisArg: Value) => Value): void {
    const n = typeof name === 'symbol' ? `[${name.description ?? ''}]` : name;
    const g = this.fn(`get ${n}`, 0, (t) => impl(t));
    o.defineOwn(name, { get: g, set: undefined, enumerable: false, configurable: true });
  }

  /** A constructor with its prototype object wired both ways. */
  ctor(name: string, length: number, proto: GObj, impl: NativeImpl): NativeFunction {
    const c = this.fn(name, length, impl, true);
    c.put('prototype', proto, 0);
    proto.put('constructor', c);
    this.global.put(name, c);
    this.intrinsics[name] = c;
    return c;
  }

  newObject(proto: GObj | null = this.ObjectPrototype): GObj {
    return new GObj(proto);
  }

  newArray(items: Value[] = []): GArray {
    return new GArray(this.ArrayPrototype, items);
  }

  /** The prototype for `new C()` when C may have been subclassed: GetPrototypeFromConstructor. */
  protoFrom(newTarget: GObj | undefined, fallback: GObj): GObj {
    if (newTarget === undefined) return fallback;
    const p = newTarget.get('prototype', newTarget);
    return p instanceof GObj ? p : fallback;
  }

  // ---- conversions ----

  typeOf(v: Value): string {
    if (v instanceof GObj) return v instanceof GFunction ? 'function' : 'object';
    if (v === null) return 'object';
    return typeof v;
  }

  toPrimitive(v: Value, hint: 'default' | 'number' | 'string' = 'default'): Value {
    if (!(v instanceof GObj)) return v;
    const ex = v.get(Symbol.toPrimitive, v);
    if (ex !== undefined && ex !== null) {
      const r = this.call(ex, v, [hint]);
      if (r instanceof GObj) this.typeError('Cannot convert object to primitive value');
      return r;
    }
    const order = hint === 'string' ? ['toString', 'valueOf'] : ['valueOf', 'toString'];
    for (const m of order) {
      const f = v.get(m, v);
      if (f instanceof GFunction) {
        const r = this.call(f, v, []);
        if (!(r instanceof GObj)) return r;
      }
    }
    return this.typeError('Cannot convert object to primitive value');
  }

  toNumber(v: Value): number {
    if (typeof v === 'number') return v;
    if (v instanceof GObj) v = this.toPrimitive(v, 'number');
    if (typeof v === 'symbol') this.typeError('Cannot convert a Symbol value to a number');
    if (typeof v === 'bigint') this.typeError('Cannot convert a BigInt value to a number');
    return Number(v);
  }

  toNumeric(v: Value): number | bigint {
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    if (v instanceof GObj) v = this.toPrimitive(v, 'number');
    if (typeof v === 'bigint') return v;
    return this.toNumber(v);
  }

  toString(v: Value): string {
    if (typeof v === 'string') return v;
    if (v instanceof GObj) v = this.toPrimitive(v, 'string');
    if (typeof v === 'symbol') this.typeError('Cannot convert a Symbol value to a string');
    return String(v);
  }

  toKey(v: Value): Key {
    if (typeof v === 'string' || typeof v === 'symbol') return v;
    if (typeof v === 'number') return String(v);
    if (v instanceof GObj) {
      const p = this.toPrimitive(v, 'string');
      return typeof p === 'symbol' ? p : String(p);
    }
    return String(v);
  }

  toObject(v: Value): GObj {
    if (v instanceof GObj) return v;
    if (v === undefined || v === null) this.typeError(`Cannot convert ${v} to object`);
    const kind = { string: 'String', number: 'Number', boolean: 'Boolean', symbol: 'Symbol', bigint: 'BigInt' }[typeof v as string]!;
    const o = new GObj(this.protoOfPrimitive(v), kind);
    o.internal = v;
    if (typeof v === 'string') {
      o.put('length', v.length, 0);
      for (let i = 0; i < v.length; i++) o.put(String(i), v[i], ENUMERABLE);
    }
    return o;
  }

  toIntegerOrInfinity(v: Value): number {
    if (typeof v === 'number' && Number.isInteger(v)) return v + 0;
    const n = this.toNumber(v);
    if (Number.isNaN(n)) return 0;
    return Math.trunc(n) + 0;
  }

  toLength(v: Value): number {
    const n = this.toIntegerOrInfinity(v);
    return n <= 0 ? 0 : Math.min(n, Number.MAX_SAFE_INTEGER);
  }

  protoOfPrimitive(v: Value): GObj {
    switch (typeof v) {
      case 'string':
        return this.StringPrototype;
      case 'number':
        return this.NumberPrototype;
      case 'boolean':
        return this.BooleanPrototype;
      case 'symbol':
        return this.SymbolPrototype;
      case 'bigint':
        return this.BigIntPrototype;
    }
    return this.typeError(`Cannot convert ${String(v)} to object`);
  }

  // ---- property access on any value ----

  get(o: Value, k: Value): Value {
    if (o instanceof GObj) {
      if (typeof k === 'number') {
        if (o instanceof GArray) {
          if (k >= 0 && k < o.items.length) {
            const v = o.items[k];
            if (v !== HOLE) return v;
          }
        } else if (o.cls === 'TypedArray') {
          const st = o.internal as { length: number; view: ArrayLike<Value> };
          if (k >= 0 && k < st.length && Number.isInteger(k)) return st.view[k];
        }
      }
      return o.get(typeof k === 'string' || typeof k === 'symbol' ? k : this.toKey(k), o);
    }
    return this.getPrimitive(o, typeof k === 'string' || typeof k === 'symbol' ? k : this.toKey(k));
  }

  getPrimitive(o: Value, k: Key): Value {
    if (typeof o === 'string') {
      if (k === 'length') return o.length;
      const i = arrayIndex(k);
      if (i >= 0) return i < o.length ? o[i] : undefined;
    } else if (o === undefined || o === null) {
      this.typeError(`Cannot read properties of ${o} (reading '${String(k)}')`);
    }
    return this.protoOfPrimitive(o).get(k, o);
  }

  set(o: Value, k: Value, v: Value): void {
    if (o instanceof GObj) {
      if (typeof k === 'number') {
        if (o instanceof GArray) {
          if (k >= 0 && k < o.items.length && o.items[k] !== HOLE && !o.frozenElems) {
            o.items[k] = v;
            return;
          }
        } else if (o.cls === 'TypedArray' && typeof v === 'number') {
          const st = o.internal as { length: number; view: number[]; big: boolean };
          if (!st.big && k >= 0 && k < st.length && Number.isInteger(k)) {
            st.view[k] = v;
            return;
          }
        }
      }
      const key = typeof k === 'string' || typeof k === 'symbol' ? k : this.toKey(k);
      if (!o.set(key, v, o)) this.typeError(`Cannot assign to read only property '${String(key)}' of object`);
      return;
    }
    if (o === undefined || o === null) this.typeError(`Cannot set properties of ${o} (setting '${String(k)}')`);
    const key = this.toKey(k);
    // Strict mode: assignments to primitives fail unless a setter up the chain accepts them.
    if (!this.protoOfPrimitive(o).set(key, v, o)) this.typeError(`Cannot create property '${String(key)}' on ${typeof o} '${String(o)}'`);
  }

  getMethod(o: Value, k: Key): GFunction | undefined {
    const f = this.get(o, k);
    if (f === undefined || f === null) return undefined;
    if (!(f instanceof GFunction)) this.typeError(`${String(k)} is not a function`);
    return f;
  }

  has(o: Value, k: Value): boolean {
    if (!(o instanceof GObj)) this.typeError(`Cannot use 'in' operator to search for '${String(k)}' in ${String(o)}`);
    return o.has(this.toKey(k));
  }

  deleteProp(o: Value, k: Value): boolean {
    const obj = this.toObject(o);
    const key = this.toKey(k);
    if (!obj.delete(key)) this.typeError(`Cannot delete property '${String(key)}'`);
    return true;
  }

  defineData(o: GObj, k: Key, v: Value): void {
    if (!o.defineOwn(k, { value: v, writable: true, enumerable: true, configurable: true })) this.typeError(`Cannot define property ${String(k)}`);
  }

  // ---- calls ----

  call(f: Value, thisArg: Value, args: Value[]): Value {
    if (!(f instanceof GFunction)) return this.typeError(`${this.describe(f)} is not a function`);
    return f.invoke(thisArg, args);
  }

  construct(f: Value, args: Value[], newTarget?: GObj): Value {
    if (!(f instanceof GFunction) || !f.isConstructor) return this.typeError(`${this.describe(f)} is not a constructor`);
    return f.build(args, newTarget ?? f);
  }

  /**
   * Pushes a guest frame. Frames are popped only on normal return: after an exception the stack
   * still shows where it was thrown, and whoever catches a GuestThrow truncates it back to its own
   * depth (see `unwindTo`).
   */
  enterCall(fn: GFunction, args: Value[]): void {
    const d = this.depth;
    if (d >= this.maxDepth) throw new LimitExceeded('depth', this.shownLimits.depth);
    if (++this.steps > this.maxSteps) this.stepLimit();
    this.fnStack[d] = fn;
    this.argStack[d] = args;
    this.siteStack[d] = this.site;
    this.depth = d + 1;
  }

  leaveCall(): void {
    this.site = this.siteStack[--this.depth];
  }

  unwindTo(depth: number): void {
    if (this.depth > depth) {
      this.site = this.siteStack[depth];
      this.depth = depth;
    }
  }

  /**
   * The stack for an error object: bounded, so creating errors deep in a recursion stays cheap;
   * diagnostics show at most ten frames anyway.
   */
  stackSnapshot(): Frame[] {
    const keep = 32;
    if (this.depth <= 2 * keep) return this.frames;
    const all = this.framesIn(0, keep);
    all.push({ fn: undefined, args: [], site: undefined, skipped: this.depth - 2 * keep });
    return all.concat(this.framesIn(this.depth - keep, this.depth));
  }

  /** Snapshot of the guest call stack, outermost first (for diagnostics and error objects). */
  get frames(): Frame[] {
    return this.framesIn(0, this.depth);
  }

  private framesIn(from: number, to: number): Frame[] {
    const out: Frame[] = [];
    for (let i = from; i < to; i++) {
      const fn = this.fnStack[i]!;
      let args = this.argStack[i]!;
      // Direct calls record the callee's environment: its parameters are the arguments.
      const code = (fn as { code?: { paramBase: number; length: number } }).code;
      if (code && code.paramBase >= 0 && args.length > 0 && Array.isArray(args[0])) args = args.slice(code.paramBase, code.paramBase + code.length);
      out.push({ fn, args, site: this.siteStack[i] });
    }
    return out;
  }

  instanceOf(v: Value, c: Value): boolean {
    if (!(c instanceof GObj)) this.typeError("Right-hand side of 'instanceof' is not an object");
    const h = c.get(Symbol.hasInstance, c);
    if (h !== undefined && h !== null) return this.toBoolean(this.call(h, c, [v]));
    if (!(c instanceof GFunction)) this.typeError("Right-hand side of 'instanceof' is not callable");
    return this.ordinaryHasInstance(c, v);
  }

  ordinaryHasInstance(c: GFunction, v: Value): boolean {
    if (c instanceof BoundFunction) return this.instanceOf(v, c.target);
    if (!(v instanceof GObj)) return false;
    const p = c.get('prototype', c);
    if (!(p instanceof GObj)) this.typeError('Function has non-object prototype in instanceof check');
    for (let o = v.getProto(); o !== null; o = o.getProto()) if (o === p) return true;
    return false;
  }

  toBoolean(v: Value): boolean {
    return v instanceof GObj ? true : !!v;
  }

  // ---- iteration ----

  getIterator(v: Value): { it: Value; next: Value } {
    const m = this.get(v, Symbol.iterator);
    if (!(m instanceof GFunction)) this.typeError(`${this.describe(v)} is not iterable`);
    const it = m.invoke(v, []);
    if (!(it instanceof GObj)) this.typeError('Result of the Symbol.iterator method is not an object');
    return { it, next: it.get('next', it) };
  }

  /** True when `for-of` over v may read the array storage directly (unpatched array iteration). */
  fastArray(v: Value): v is GArray {
    return (
      v instanceof GArray &&
      v.proto === this.ArrayPrototype &&
      v.props.size === 0 &&
      this.ArrayPrototype.getOwn(Symbol.iterator)?.v === this.ArrayValues &&
      this.ArrayIteratorPrototype.getOwn('next')?.v === this.ArrayIteratorNext
    );
  }

  /** Runs `body` for each value; `body` returns true to stop early (then the iterator is closed). */
  iterate(v: Value, body: (x: Value) => boolean | void): void {
    if (this.fastArray(v)) {
      for (let i = 0; i < v.items.length; i++) {
        const x = v.items[i];
        if (body(x === HOLE ? v.getIndex(i) : x)) return;
      }
      return;
    }
    const { it, next } = this.getIterator(v);
    for (;;) {
      const r = this.call(next, it, NO_ARGS);
      if (!(r instanceof GObj)) this.typeError(`Iterator result ${this.describe(r)} is not an object`);
      if (this.toBoolean(r.get('done', r))) return;
      let stop: boolean | void;
      try {
        stop = body(r.get('value', r));
      } catch (e) {
        if (e instanceof GuestThrow) this.closeIteratorQuietly(it);
        throw e;
      }
      if (stop) {
        this.closeIterator(it);
        return;
      }
    }
  }

  closeIterator(it: Value): void {
    const ret = this.get(it, 'return');
    if (ret === undefined || ret === null) return;
    const r = this.call(ret, it, []);
    if (!(r instanceof GObj)) this.typeError('iterator.return() did not return an object');
  }

  closeIteratorQuietly(it: Value): void {
    const depth = this.depth;
    const site = this.site;
    try {
      const ret = this.get(it, 'return');
      if (ret !== undefined && ret !== null) this.call(ret, it, []);
    } catch (e) {
      if (!(e instanceof GuestThrow)) throw e;
      this.unwindTo(depth);
      this.site = site;
    }
  }

  listFrom(v: Value): Value[] {
    if (this.fastArray(v)) return v.items.map((x, i) => (x === HOLE ? v.getIndex(i) : x));
    const out: Value[] = [];
    this.iterate(v, (x) => {
      if ((out.length & 1023) === 0) this.charge(1024);
      out.push(x);
    });
    return out;
  }

  iterResult(value: Value, done: boolean): GObj {
    const o = new GObj(this.ObjectPrototype);
    o.props.set('value', new Slot(value, undefined, undefined, 7));
    o.props.set('done', new Slot(done, undefined, undefined, 7));
    return o;
  }

  // ---- jobs (Promise reactions) ----

  enqueue(job: Job): void {
    this.jobs.push(job);
  }

  runJobs(): void {
    for (let i = 0; i < this.jobs.length; i++) {
      // A job allocates promises, capabilities and closures: it is priced like a small loop.
      this.charge(JOB_STEPS);
      this.jobs[i]!();
      if (i > 4096) {
        this.jobs.splice(0, i + 1);
        i = -1;
      }
    }
    this.jobs.length = 0;
  }

  // ---- descriptors ----

  fromDescriptor(d: Descriptor | undefined): Value {
    if (d === undefined) return undefined;
    const o = this.newObject();
    if ('get' in d || 'set' in d) {
      this.defineData(o, 'get', d.get);
      this.defineData(o, 'set', d.set);
    } else {
      this.defineData(o, 'value', d.value);
      this.defineData(o, 'writable', !!d.writable);
    }
    this.defineData(o, 'enumerable', !!d.enumerable);
    this.defineData(o, 'configurable', !!d.configurable);
    return o;
  }

  toDescriptor(v: Value): Descriptor {
    if (!(v instanceof GObj)) this.typeError('Property description must be an object');
    const d: Descriptor = {};
    if (v.has('enumerable')) d.enumerable = this.toBoolean(v.get('enumerable', v));
    if (v.has('configurable')) d.configurable = this.toBoolean(v.get('configurable', v));
    if (v.has('value')) d.value = v.get('value', v);
    if (v.has('writable')) d.writable = this.toBoolean(v.get('writable', v));
    if (v.has('get')) {
      const g = v.get('get', v);
      if (g !== undefined && !(g instanceof GFunction)) this.typeError('Getter must be a function');
      d.get = g as GObj | undefined;
    }
    if (v.has('set')) {
      const s = v.get('set', v);
      if (s !== undefined && !(s instanceof GFunction)) this.typeError('Setter must be a function');
      d.set = s as GObj | undefined;
    }
    if (('get' in d || 'set' in d) && ('value' in d || 'writable' in d)) this.typeError('Invalid property descriptor. Cannot both specify accessors and a value or writable attribute');
    return d;
  }

  ownDescriptor(o: GObj, k: Key): Descriptor | undefined {
    const s = o.getOwn(k);
    if (s === undefined) return undefined;
    const base = { enumerable: (s.f & ENUMERABLE) !== 0, configurable: (s.f & CONFIGURABLE) !== 0 };
    if (s.f & ACCESSOR) return { ...base, get: s.g, set: s.s };
    return { ...base, value: s.v, writable: (s.f & WRITABLE) !== 0 };
  }

  // ---- describing values in messages ----

  describe(v: Value): string {
    if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v);
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'symbol') return v.toString();
    if (v instanceof GFunction) return `function ${v.displayName() || '(anonymous)'}`;
    if (v instanceof GArray) return v.items.length <= 5 ? `[${v.items.map((x) => (x === HOLE ? '' : this.describe(x as Value))).join(', ')}]` : `[array of ${v.items.length}]`;
    if (v instanceof GObj) {
      const c = v.proto?.getOwn('constructor')?.v;
      const name = c instanceof GFunction ? c.displayName() : '';
      return name && name !== 'Object' ? `${name} {…}` : '{…}';
    }
    return Object.is(v, -0) ? '-0' : String(v);
  }
}

