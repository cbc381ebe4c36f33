// The generator side of the runtime: the shared base class of every lowered generator frame and
// the few helpers the lowered code calls. Lowered code stays straight-line between suspension
// points; everything here is either a cold path or a tiny function V8 inlines.
//
// The transformer's `--runtime inline` mode copies declarations out of the compiled form of this
// file, following references between top-level declarations. Keep every helper a top-level
// declaration, and keep `export` off anything lowered code never names.

/**
 * A resume function: one per resume point of a lowered coroutine. It runs the code from that point
 * to the next suspension point and returns the *value* of the IteratorResult the caller of
 * next()/throw()/return() receives; whoever called it builds the result object, reading `done` off
 * the frame (the resume pointer is `generatorCompleted` once the generator finished). `m` says how
 * the generator was resumed (NEXT, THROW or RETURN); `v` is the value sent.
 *
 * Returning the value, not the object, matters for speed: the result is then allocated at one site
 * (the frame's `next`), and when a consumer's loop inlines that `next`, V8's escape analysis removes
 * the allocation. With one allocation site per suspension point, the objects met at a join and
 * every step allocated.
 *
 * A suspension inside `yield*` hands out the inner iterator's own result object, as the spec says.
 * The resume function that continues from it declares a fourth, unused parameter (see
 * isPassThrough), and the result object goes out as it is.
 */
export type ResumeFunction = (f: any, v: unknown, m: number) => unknown;

/**
 * Resume modes passed to resume functions. Lowered code also calls a resume function of its own
 * with 3 (ENTER: start at its second entry, transformer/lower/analysis/tail-entries.ts); the
 * runtime never passes it.
 */
export const NEXT = 0;
export const THROW = 1;
export const RETURN = 2;

// Stored as the resume pointer while a segment runs, so re-entry is detected with one compare.
export function generatorRunning(): never {
  throw new TypeError('Generator is already running');
}

/** The resume pointer of a completed generator. */
export function generatorCompleted(f: GeneratorFrame, v: unknown, m: number): unknown {
  f.$r = generatorCompleted;
  if (m === 1) throw v;
  return m === 2 ? v : undefined;
}

/**
 * The resume point after a generator's last suspension when the body only ends there (a last
 * `yield x;`): lowered code points the frame here rather than emitting a resume function that
 * does nothing but complete. It takes no mode, so throw() and return() there are the runtime's,
 * as at every plain resume point.
 */
export function generatorFinish(f: GeneratorFrame, _v: unknown): undefined {
  f.$r = generatorCompleted;
  return undefined;
}

/**
 * What the runtime caches on a resume function: its parameter count and, for a plain point, its
 * drop. Symbols, not names: a `Function.prototype.$arity` some other code set would otherwise be
 * read for every function that has no answer of its own yet.
 */
const ARITY: unique symbol = Symbol('corosplit.arity');
const DROP: unique symbol = Symbol('corosplit.drop');

/**
 * Resume functions of two parameters, (frame, value), are plain: the suspension point is in no try
 * statement and no loop over an iterator, so throw() and return() there run nothing of the body.
 * resumeGenerator completes the generator itself and the function carries no dispatch on the
 * resume mode. A coroutine whose frame has fields to release registers its drop for them here.
 * The drop is kept on the function itself: a WeakMap lookup on every return() at such a point
 * (every early exit from a for-of over a generator) cost fib-take and spread-take 4-15 %.
 */
export function plainResumePoints(drop: (f: any) => void, ...points: (Function & { [DROP]?: (f: any) => void })[]): void {
  // (a frozen function keeps no drop: return() there still completes, the fields are just not cleared)
  for (const r of points) if (Object.isExtensible(r)) r[DROP] = drop;
}

/** throw() or return() at a plain resume point `r`: completes the generator; returns the return value. */
function completeAtPlainPoint(g: GeneratorFrame, r: Function & { [DROP]?: (f: any) => void }, v: unknown, m: number): unknown {
  g.$r = generatorCompleted;
  if (m === 1) throw v;
  const drop = r[DROP];
  if (drop !== undefined) drop(g);
  return v;
}

/**
 * Whether a resume pointer is the resume point after a suspension inside `yield*`, so that what the
 * resume function just returned is the inner iterator's result object. Such resume functions
 * declare a fourth, unused parameter: the mark travels with the function itself, wherever the
 * lowering had to place it (module level, an enclosing function, a class's static block), and a
 * hand-written frame can use it too. A frame's own `next` knows its pass-through points statically
 * and never asks.
 */
function isPassThrough(p: Function): boolean {
  return resumeArity(p) === 4;
}

/**
 * Whether a resume pointer is a plain resume point's function, `R($f, $v)`, or `R($f)` when it
 * never reads the value sent (the lowering drops the parameter then).
 */
function isPlainPoint(p: Function): boolean {
  const n = resumeArity(p);
  return n === 2 || n === 1;
}

/**
 * A resume function's declared parameter count, which says what kind of resume point it is (plain: 1 or 2,
 * pass-through: 4). A function's `length` is an accessor that V8 runs as a native callback: read on
 * every step of the shared path, it cost more than the step itself (lowered for size, where every
 * step takes this path, 0.7x native with it against 1.2x with a cached answer), and read on every
 * return() it made early-break about a fifth slower. The answer is cached on the function, under
 * one key for every resume function, so the reads see few hidden classes (with and without a drop).
 */
function resumeArity(p: Function & { [ARITY]?: number }): number {
  let n = p[ARITY];
  if (n === undefined) {
    n = p.length;
    if (Object.isExtensible(p)) p[ARITY] = n;
  }
  return n;
}

/**
 * next()/throw()/return() of any lowered generator, with every check. A frame's own `next` (emitted
 * per coroutine) handles its hot resume points itself and comes here for everything else.
 */
export function resumeGenerator(g: GeneratorFrame, v: unknown, m: number): IteratorResult<unknown> {
  const r = g == null ? undefined : g.$r;
  if (typeof r !== 'function') throw new TypeError('next/return/throw called on an object that is not a generator');
  if (r === generatorRunning) throw new TypeError('Generator is already running');
  if (m !== 0 && isPlainPoint(r)) return { value: completeAtPlainPoint(g, r, v, m), done: true };
  g.$r = generatorRunning;
  let result;
  try {
    result = r(g, v, m);
    // A `yield*` lowered for size handed its operand to the runtime (delegateTo).
    while (result === DELEGATE) result = startDelegation(g as DelegatingFrame);
  } catch (e) {
    g.$r = generatorCompleted;
    throw e;
  }
  // Every suspension sets the next resume point and every completion goes through
  // generatorReturn, which marks it, except a return whose finally blocks still had to run.
  let p = g.$r;
  if (p === generatorRunning) g.$r = p = generatorCompleted;
  else if (isPassThrough(p)) return result as IteratorResult<unknown>;
  return { value: result, done: p === generatorCompleted };
}

const IteratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

/**
 * A lowered generator's frame. The frame is the generator object itself: one allocation per call.
 * Each coroutine's frame constructor adds one field per value live across a suspension point.
 */
export interface GeneratorFrame {
  /** The resume function to run next: the frame's "program counter". */
  $r: ResumeFunction;
  next(v?: unknown): IteratorResult<unknown>;
  return(v?: unknown): IteratorResult<unknown>;
  throw(e?: unknown): IteratorResult<unknown>;
}
export interface GeneratorFrameConstructor {
  new (entry: ResumeFunction): GeneratorFrame;
  prototype: GeneratorFrame;
}

/** %GeneratorFunction.prototype%: the [[Prototype]] of every lowered generator function. */
export const GeneratorFunctionPrototype: object = Object.create(Function.prototype);

/**
 * The frame constructor's prototype is %GeneratorPrototype%. It is built property by property,
 * not by a class: the spec's read-only `constructor` would mean redefining the class's own, and V8
 * keeps an object whose property was redefined or deleted in dictionary mode for good. A
 * dictionary-mode prototype makes every lookup through it (next, return, Symbol.iterator) a hash
 * lookup that optimised code cannot fold.
 */
export const GeneratorFrame: GeneratorFrameConstructor = function GeneratorFrame(this: GeneratorFrame, entry: ResumeFunction) {
  this.$r = entry;
} as unknown as GeneratorFrameConstructor;
{
  const proto = Object.create(IteratorPrototype);
  const methods = {
    next(this: GeneratorFrame, v?: unknown): IteratorResult<unknown> {
      return resumeGenerator(this, v, 0);
    },
    return(this: GeneratorFrame, v?: unknown): IteratorResult<unknown> {
      return resumeGenerator(this, v, 2);
    },
    throw(this: GeneratorFrame, e?: unknown): IteratorResult<unknown> {
      return resumeGenerator(this, e, 1);
    },
  };
  Object.defineProperty(proto, 'constructor', { value: GeneratorFunctionPrototype, writable: false, enumerable: false, configurable: true });
  for (const key of ['next', 'return', 'throw'] as const) Object.defineProperty(proto, key, { value: methods[key], writable: true, enumerable: false, configurable: true });
  Object.defineProperty(proto, Symbol.toStringTag, { value: 'Generator', writable: false, enumerable: false, configurable: true });
  GeneratorFrame.prototype = proto;
}

/** %GeneratorPrototype%. */
export const GeneratorPrototype: GeneratorFrame = GeneratorFrame.prototype;

/**
 * %GeneratorPrototype%.next as the runtime defined it. A frame's own next compares
 * `GeneratorPrototype.next` with it on every call: when user code replaced the shared next
 * (monkeypatching, as test262 does), the frame defers to the replacement, as a native generator
 * would find it. (Two loads and a compare per step: about 10% on a chain of three tiny generators,
 * nothing measurable elsewhere.)
 */
export const generatorPrototypeNext = GeneratorPrototype.next;

/**
 * %GeneratorFunction%. A generator built from source text at run time cannot be lowered by a
 * source transformer, so it is compiled by the host engine and wrapped in a frame that forwards to
 * it: the object graph stays the lowered one, and behaviour is the engine's.
 */
function makeGeneratorFunction(args: string[], nt: Function | undefined): Function {
  // Parse first: a SyntaxError must come before anything looks at new.target.
  const native = hostGeneratorFunction()(...args);
  const Adapter = makeAdapter();
  const ramp = {
    anonymous(this: unknown, ...a: unknown[]) {
      return new Adapter(native.apply(this, a));
    },
  }.anonymous;
  Object.defineProperty(ramp, 'length', { value: native.length, writable: false, enumerable: false, configurable: true });
  defineGenerator(ramp, Adapter);
  if (nt && nt !== GeneratorFunction) {
    const proto = (nt as any).prototype;
    if (proto !== null && (typeof proto === 'object' || typeof proto === 'function')) Object.setPrototypeOf(ramp, proto);
  }
  return ramp;
}

let hostGeneratorFunctionCache: ((...args: string[]) => Function) | undefined;
function hostGeneratorFunction(): (...args: string[]) => Function {
  // Reached through a string so the lowered output itself contains no generator syntax.
  if (!hostGeneratorFunctionCache) hostGeneratorFunctionCache = Object.getPrototypeOf(Function('return function*(){}')()).constructor;
  return hostGeneratorFunctionCache!;
}

interface NativeGeneratorAdapter extends GeneratorFrame {
  g: any;
}
// A frame that forwards to a host generator; each GeneratorFunction-made function gets its own
// constructor (and so its own prototype) from makeAdapter.
function makeAdapter(): new (g: any) => NativeGeneratorAdapter {
  return generatorFrameConstructor(function Adapter(this: NativeGeneratorAdapter, g: any) {
    this.$r = nativeGeneratorStep;
    this.g = g;
  }) as unknown as new (g: any) => NativeGeneratorAdapter;
}

function nativeGeneratorStep(f: NativeGeneratorAdapter, v: unknown, m: number): unknown {
  const r = m === 0 ? f.g.next(v) : m === 1 ? f.g.throw(v) : f.g.return(v);
  f.$r = r.done ? generatorCompleted : nativeGeneratorStep;
  return r.value;
}
// A plain function's [[Construct]] reads newTarget.prototype before running its body; the
// proxy's construct trap lets the source text be parsed first, as CreateDynamicFunction does.
const GeneratorFunction: Function = new Proxy(function GeneratorFunction() {}, {
  apply: (_target, _this, args) => makeGeneratorFunction(args, undefined),
  construct: (_target, args, newTarget) => makeGeneratorFunction(args, newTarget) as object,
});
Object.setPrototypeOf(GeneratorFunction, Function);
Object.defineProperty(GeneratorFunction, 'length', { value: 1, writable: false, enumerable: false, configurable: true });
// Stated explicitly: `--runtime inline` may rename the binding to avoid a user's name.
Object.defineProperty(GeneratorFunction, 'name', { value: 'GeneratorFunction', writable: false, enumerable: false, configurable: true });
Object.defineProperty(GeneratorFunction, 'prototype', { value: GeneratorFunctionPrototype, writable: false, enumerable: false, configurable: false });
Object.defineProperty(GeneratorFunctionPrototype, 'constructor', { value: GeneratorFunction, writable: false, enumerable: false, configurable: true });
Object.defineProperty(GeneratorFunctionPrototype, 'prototype', { value: GeneratorFrame.prototype, writable: false, enumerable: false, configurable: true });
Object.defineProperty(GeneratorFunctionPrototype, Symbol.toStringTag, { value: 'GeneratorFunction', writable: false, enumerable: false, configurable: true });

/**
 * Gives a lowered coroutine's frame constructor a fresh, empty prototype that inherits from
 * %GeneratorPrototype%: it becomes fn.prototype, which has no own properties. Replacing the
 * function's prototype, rather than deleting the `constructor` of a class's, keeps the object out
 * of dictionary mode. A frame constructor that already has such a prototype (a class extending
 * the frame base, or one given here before) keeps it.
 */
export function generatorFrameConstructor<T extends Function>(ctor: T): T {
  if (!Object.prototype.isPrototypeOf.call(GeneratorFrame.prototype, ctor.prototype)) ctor.prototype = Object.create(GeneratorFrame.prototype);
  return ctor;
}

/**
 * Wires a lowered generator function (its ramp) to its frame constructor, so that instances have
 * `fn.prototype` as [[Prototype]] and `fn` looks like a generator function to reflection. The
 * frame constructor's prototype is made here too (see generatorFrameConstructor): lowered code
 * calls this before the ramp can run, and so only frames of coroutines wired by no define call
 * (private methods, async functions) are wrapped in generatorFrameConstructor where they are made.
 */
export function defineGenerator<F extends Function>(fn: F, frame: { prototype: object }, name?: string): F {
  Object.setPrototypeOf(fn, GeneratorFunctionPrototype);
  const proto = generatorFrameConstructor(frame as unknown as Function).prototype;
  // A frame made by a class (hand-written, or by an older corosplit) still has its `constructor`.
  if (Object.prototype.hasOwnProperty.call(proto, 'constructor')) delete (proto as any).constructor;
  Object.defineProperty(fn, 'prototype', { value: proto, writable: true, enumerable: false, configurable: false });
  // An anonymous generator expression takes its name from where it stands; the ramp had to move
  // into a call, so the name is given explicitly.
  if (name !== undefined) Object.defineProperty(fn, 'name', { value: name, writable: false, enumerable: false, configurable: true });
  return fn;
}

/**
 * A frame field and the value it starts with: a constant the generator's initial resume function
 * would have stored before handing over (the frame then starts past that function; see the
 * compiler's analysis/initial-state.ts).
 */
export type StartField = readonly [key: string, value: unknown];

/**
 * A frame constructor made by the runtime, for `optimize: 'size'`: `new Frame(entry, …values)`
 * sets `$r` to `entry` and each named field to the value in its position, in order, as the
 * emitted `function X$Frame(r, a0, a1) { this.$r = r; this.k = a0; this.log = a1; }` does. Start
 * fields, `["i", 0]`, come after the named ones and take their value from the list, not from an
 * argument.
 */
export function generatorFrame(...fields: (string | 0 | StartField)[]): { new (entry: ResumeFunction, ...values: unknown[]): GeneratorFrame; prototype: object } {
  const n = fields.length;
  // `arguments` read by index in a strict function: V8 keeps it unmaterialized (a rest parameter
  // allocated an array per frame, 3x the cost of construction).
  const Frame = function (this: any, entry: ResumeFunction) {
    this.$r = entry;
    for (let i = 0; i < n; i++) {
      const k = fields[i];
      // eslint-disable-next-line prefer-rest-params
      if (typeof k === 'object') this[k[0]] = k[1];
      else if (k !== 0) this[k] = arguments[i + 1];
    }
  };
  return generatorFrameConstructor(Frame) as any;
}

/**
 * A generator function made whole by the runtime: what `optimize: 'size'` emits for a generator
 * function whose parameters are plain names and whose ramp provides nothing else (no `this`,
 * `arguments`, own name or `super`). The lowering then emits no frame constructor and no ramp:
 * `generatorFunction(entry, "name", "k", 0, "log")` names, per parameter, the frame field it
 * fills (0: a parameter the body never needs), then any start fields (`["i", 0]`, see
 * generatorFrame). A call builds the frame as the emitted constructor would, `$r` first and the
 * fields in parameter order, so frames of one generator share their hidden classes.
 */
export function generatorFunction(entry: ResumeFunction, name: string, ...fields: (string | 0 | StartField)[]): Function {
  return madeGenerator(entry, name, 0, fields);
}

/**
 * The function generatorFunction and defineGeneratorMethods make: `self` names the frame field
 * that holds the receiver (0: none). A shorthand method, so it is no constructor, and strict,
 * whatever code `--runtime inline` puts it in, so `this` is what the caller gave (the lowering
 * stores it only for strict methods). Its length is the parameter count. Up to four parameters
 * are passed on as they are: a rest parameter allocated an array per call (and would forbid the
 * directive).
 */
function madeGenerator(entry: ResumeFunction, name: string, self: string | 0, fields: (string | 0 | StartField)[]): Function {
  const n = fields.filter((k) => typeof k !== 'object').length;
  const Frame = generatorFrame(self, ...fields);
  const fn: Function =
    n <= 4
      ? { m(this: unknown, a?: unknown, b?: unknown, c?: unknown, d?: unknown): GeneratorFrame { 'use strict'; return generatorInstance(fn, new Frame(entry, this, a, b, c, d)); } }.m
      : { m(this: unknown): GeneratorFrame { 'use strict'; return generatorInstance(fn, new Frame(entry, this, ...arguments)); } }.m;
  Object.defineProperty(fn, 'length', { value: n });
  return defineGenerator(fn, Frame, name);
}

/**
 * A generator method made whole by the runtime, for `optimize: 'size'`: `[entry, self, …fields]`,
 * where `self` names the frame field that holds the receiver (0: the body never reads `this`) and
 * `fields` are as generatorFunction's. The lowering checked that the method's ramp would only pass
 * on its parameters and receiver, and that no later member of its class or object literal can
 * define the same key, but a generator method wired by the same call (which wins: see
 * defineMethodsOn).
 */
export type MadeMethod = readonly [entry: ResumeFunction, self: string | 0, ...fields: (string | 0 | StartField)[]];

/**
 * The same wiring for a generator method, found on its home object by key. Given a MadeMethod,
 * the method is made here and defined as a class (`enumerable` false) or an object literal (true)
 * defines a method. What stands at the key is an empty stand-in the lowering left to keep the
 * key's place among the home's keys, or nothing where no later member's key orders after it.
 */
export function defineGeneratorMethod(home: any, key: PropertyKey, frame: { prototype: object } | MadeMethod, enumerable = false): void {
  if (Array.isArray(frame)) {
    // Named and defined as the method's own definition would be, whatever stands at the key now
    // (the stand-in, an earlier member of the same key, or nothing).
    const name = typeof key === 'symbol' ? (key.description === undefined ? '' : `[${key.description}]`) : String(key);
    const fn = madeGenerator(frame[0], name, frame[1], frame.slice(2) as (string | 0 | StartField)[]);
    Object.defineProperty(home, key, { value: fn, writable: true, enumerable, configurable: true });
    return;
  }
  const d = Object.getOwnPropertyDescriptor(home, key);
  generatorFrameConstructor(frame as unknown as Function);
  if (d && typeof d.value === 'function') defineGenerator(d.value, frame as { prototype: object });
}

/**
 * Wires the generator methods of an object literal, `(obj, key1, Frame1, key2, Frame2, …)`, each a
 * frame constructor or a MadeMethod, and returns the object.
 */
export function defineGeneratorMethods<T>(obj: T, ...pairs: any[]): T {
  defineMethodsOn(obj, pairs, true);
  return obj;
}

/**
 * The same for a class `C`, from its first static element: `(C, n, key1, Frame1, …)`, where the
 * first `n` pairs are methods of `C.prototype` and the rest static ones: one call for both.
 */
export function defineClassGeneratorMethods(C: Function, n: number, ...pairs: any[]): void {
  defineMethodsOn(C.prototype, pairs.slice(0, 2 * n), false);
  defineMethodsOn(C, pairs.slice(2 * n), false);
}

function defineMethodsOn(home: any, pairs: any[], enumerable: boolean): void {
  // Each key once, in order: a method defined again later in the same class or literal was
  // replaced there, so only the last definition is wired, and methods defined here land in
  // their source order. A computed key arrives as it was evaluated and is converted once here,
  // as its definition did.
  const keys = pairs.filter((_, i) => i % 2 === 0).map((k) => (typeof k === 'string' || typeof k === 'symbol' ? k : Reflect.ownKeys({ [k]: 0 })[0]));
  keys.forEach((key, i) => {
    const frame = pairs[2 * i + 1];
    if (keys.indexOf(key, i + 1) < 0) defineGeneratorMethod(home, key, frame, enumerable);
    else if (!Array.isArray(frame)) generatorFrameConstructor(frame);
  });
}

/**
 * Normal completion of a lowered generator: marks it completed and returns the value of its
 * `{ value, done: true }`. `drop` releases the frame's references (a function per coroutine, so
 * %GeneratorPrototype% carries nothing extra).
 */
export function generatorReturn(f: GeneratorFrame, v: unknown, drop?: (f: any) => void, beforeFinally?: boolean): unknown {
  // Lowered code calls this last, after every finally block of the return has run, except for a
  // return inside a try statement kept as it is: its finally block still runs, and the caller
  // (the frame's next(), or resumeGenerator) marks the generator completed afterwards.
  // Nor is anything dropped then: that code may throw into a catch that resumes the body, which
  // still reads the frame (a completion that finishes is collected with the generator object).
  if (beforeFinally !== true) {
    f.$r = generatorCompleted;
    if (drop !== undefined) drop(f);
  }
  return v;
}

/**
 * Lowered for size: the body leaves with the value of the IteratorResult (which the caller, next()
 * or resumeGenerator, makes), at a suspension with the resume point to run next, or completed (no
 * `next`; generatorReturn without its rarer cases). A suspension's arguments are evaluated first,
 * in order: the operand, the resume point, then whatever had to run after the operand before the
 * suspension (counter updates moved there, frame stores), so code they run that calls this
 * generator again still finds it running.
 */
export function leaveGenerator(f: GeneratorFrame, v?: unknown, next?: ResumeFunction): unknown {
  f.$r = next || generatorCompleted;
  return v;
}

/**
 * Lowered for size: the end of a finally block after which the generator is left, whatever the
 * completion was: 1 rethrows `v`, 2 completes with `v`, normal completion (0) with undefined.
 */
export function leaveAfterFinally(f: GeneratorFrame, code: number, v: unknown): unknown {
  if (code === 1) throw v;
  return generatorReturn(f, code === 2 ? v : undefined);
}

/** The rest element of object destructuring: own enumerable properties not already taken. */
export function objectRest(src: any, taken: PropertyKey[]): any {
  const out: any = {};
  const skip = new Set(taken.map((k) => (typeof k === 'symbol' ? k : String(k))));
  for (const k of Reflect.ownKeys(Object(src))) {
    if (skip.has(k)) continue;
    const d = Object.getOwnPropertyDescriptor(src, k);
    if (d && d.enumerable) out[k] = src[k];
  }
  return out;
}

/**
 * The slow path of a ramp: user code replaced `fn.prototype`, so the instance's [[Prototype]] follows
 * it (or falls back to %GeneratorPrototype% when it is not an object), as OrdinaryCreateFromConstructor does.
 */
export function adoptPrototype<T extends object>(frame: T, proto: unknown): T {
  // The frame's own `next` would shadow whatever the replacement prototype provides (or lacks).
  delete (frame as { next?: unknown }).next;
  Object.setPrototypeOf(frame, proto !== null && (typeof proto === 'object' || typeof proto === 'function') ? proto : GeneratorFrame.prototype);
  return frame;
}

/**
 * What the ramp of a generator lowered for size returns: its new frame, or, when user code replaced
 * `fn.prototype`, the frame adopted by the replacement (the ramp lowered for speed tests inline).
 */
export function generatorInstance<T extends object>(fn: { prototype: unknown }, frame: T): T {
  const proto = fn.prototype;
  return proto === Object.getPrototypeOf(frame) ? frame : adoptPrototype(frame, proto);
}

/**
 * Sloppy mode with a simple parameter list: the frame's parameter fields become the accessors the
 * ramp wrote over its own parameters, which the engine's mapped arguments object aliases, so
 * `arguments[i]` and parameter i stay one binding (the accessors are own, enumerable properties,
 * as the data fields were).
 */
export function aliasParameters<T extends object>(frame: T, accessors: object): T {
  for (const key of Object.keys(accessors)) {
    const d = Object.getOwnPropertyDescriptor(accessors, key)!;
    Object.defineProperty(frame, key, { get: d.get, set: d.set, enumerable: true, configurable: true });
  }
  return frame;
}

/**
 * What a lowered let/const holds before its declaration ran, in the few variables some reference
 * may reach first (the lowering checks exactly those references; all others run after the
 * declaration and never see it).
 */
export const uninitialized: object = Object.freeze(Object.create(null));

/** A checked read of a let/const that may still be uninitialised: the temporal dead zone's ReferenceError. */
export function tdzRead<T>(v: T, name: string): T {
  if (v === uninitialized) throw new ReferenceError(`Cannot access '${name}' before initialization`);
  return v;
}

/** `x = value` for such a variable: checked after the value was evaluated, as PutValue is. */
export function tdzAssign<T>(current: unknown, value: T, name: string): T {
  if (current === uninitialized) throw new ReferenceError(`Cannot access '${name}' before initialization`);
  return value;
}

/** Assignment to the name of a function expression inside its own body, in strict code. */
export function assignToConstant(name: string): never {
  throw new TypeError(`Assignment to constant variable '${name}'.`);
}

/** GetIterator(obj, sync): returns the iterator; the caller caches its `next`. */
export function getIterator(obj: any): any {
  return iteratorFrom(obj, obj == null ? undefined : obj[Symbol.iterator]);
}

function iteratorFrom(obj: any, method: any): any {
  if (typeof method !== 'function') throw new TypeError(`${describe(obj)} is not iterable`);
  const it = method.call(obj);
  if (it === null || (typeof it !== 'object' && typeof it !== 'function')) throw new TypeError('Result of the Symbol.iterator method is not an object');
  return it;
}

const ArrayValues: Function = Array.prototype[Symbol.iterator];
const ArrayIteratorPrototype: { next: unknown; return?: unknown } = Object.getPrototypeOf([][Symbol.iterator]());
const ArrayIteratorNext: unknown = ArrayIteratorPrototype.next;

/**
 * GetIterator for a `for-of` in a lowered body, with a fast path for arrays: returns `null` when
 * `obj` is an array whose iteration is the built-in one (its @@iterator is
 * `Array.prototype.values`, and %ArrayIteratorPrototype%.next is the original), and the loop then
 * walks it by index (arrayLength, `obj[i]`). That is exactly what the built-in array iterator
 * observably does: it reads `length` and then the element on every step, and nothing else can
 * see the iterator object. Both checks happen once, when the loop starts, as GetIterator reads
 * @@iterator and `next` once. Anything else gets its iterator, as getIterator does.
 */
export function arrayOrIterator(obj: any): any {
  if (Array.isArray(obj)) {
    const method = obj[Symbol.iterator];
    if (method === ArrayValues && ArrayIteratorPrototype.next === ArrayIteratorNext) return null;
    return iteratorFrom(obj, method);
  }
  return getIterator(obj);
}

/** LengthOfArrayLike for arrayOrIterator's index walk (only a Proxy can make `length` anything but a uint32). */
export function arrayLength(a: any): number {
  const n = a.length;
  if (typeof n === 'number' && n >>> 0 === n) return n;
  const k = Math.trunc(+n);
  return k > 0 ? Math.min(k, Number.MAX_SAFE_INTEGER) : 0;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return 'function';
  if (typeof v === 'object') return 'object';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * The TypeError of IteratorNext's result check, returned, not thrown: lowered code writes
 * `throw iteratorResultNotObject(r)`, which inside a try region becomes a plain assignment to the
 * region's exception variable (the emitter relies on this call not throwing).
 */
export function iteratorResultNotObject(r: unknown): TypeError {
  return new TypeError(`Iterator result ${describe(r)} is not an object`);
}

/**
 * IteratorClose for a normal or break/continue/return completion. `it` is null when the loop
 * walked the array `src` by index (arrayOrIterator): the iterator it stands for is an ordinary
 * array iterator, which has no `return` unless someone added one to its prototype chain.
 */
export function iteratorClose(it: any, src?: any): void {
  if (it === null) {
    if (ArrayIteratorPrototype.return == null) return;
    it = ArrayValues.call(src);
  }
  const ret = it.return;
  if (ret === undefined || ret === null) return;
  if (typeof ret !== 'function') throw new TypeError('iterator.return is not a function');
  const r = ret.call(it);
  if (r === null || (typeof r !== 'object' && typeof r !== 'function')) throw iteratorResultNotObject(r);
}

/** IteratorClose for a throw completion: errors from `return` are dropped in favour of the original. */
export function iteratorCloseOnThrow(it: any, src?: any): void {
  try {
    if (it === null) {
      if (ArrayIteratorPrototype.return == null) return;
      it = ArrayValues.call(src);
    }
    const ret = it.return;
    if (ret !== undefined && ret !== null) ret.call(it);
  } catch {
    // The original exception wins (IteratorClose step 5).
  }
}

/**
 * One step of `yield*` delegation (the loop body of the spec's yield* evaluation). Returns the
 * inner IteratorResult, or `null` when a return() reached an iterator without a `return` method,
 * which means the delegating generator returns `v` itself.
 */
export function delegateStep(it: any, next: any, v: unknown, m: number): any {
  let r;
  if (m === 0) {
    r = next.call(it, v);
  } else if (m === 1) {
    const t = it.throw;
    if (t === undefined || t === null) {
      iteratorClose(it);
      throw new TypeError('The iterator does not provide a throw method');
    }
    r = t.call(it, v);
  } else {
    const ret = it.return;
    if (ret === undefined || ret === null) return null;
    r = ret.call(it, v);
  }
  if (r === null || (typeof r !== 'object' && typeof r !== 'function')) throw iteratorResultNotObject(r);
  return r;
}

// ------------------------------------------------------------ yield* lowered for size
// With `optimize: 'size'` a `yield* x` is one ordinary suspension point: the resume function
// returns `delegateTo(x)` after pointing the frame at the resume point that follows the yield*,
// and the runtime runs the whole delegation (the loop of the spec's yield* evaluation) with the
// generator marked running. Everything that would throw at the yield* (GetIterator, the inner
// iterator's methods, the result checks) is handed to that resume point as a throw(), which routes
// it to the handlers the yield* stands in, exactly as if it had been thrown there; a return()
// that ends the delegation is handed on as a return(). The lowered body then holds no copy of the
// protocol, only one call.

/** What a resume function returns to ask the runtime to delegate; the operand waits in `delegated`. */
const DELEGATE: object = {};
let delegated: unknown;

/** `yield* x` lowered for size: the operand of the delegation the runtime now runs. */
export function delegateTo(x: unknown): unknown {
  delegated = x;
  return DELEGATE;
}

interface DelegatingFrame extends GeneratorFrame {
  /** the inner iterator, its `next`, and the resume point after the yield* */
  $d: any;
  $dn: any;
  $dk: ResumeFunction | undefined;
}

function startDelegation(g: DelegatingFrame): unknown {
  const x = delegated;
  delegated = undefined;
  // the emitted code pointed the frame at the resume point after the yield*
  g.$dk = g.$r;
  g.$r = generatorRunning;
  let it;
  try {
    it = getIterator(x);
    g.$dn = it.next;
  } catch (e) {
    return endDelegation(g, e, 1);
  }
  g.$d = it;
  return delegating(g, undefined, 0, undefined);
}

/**
 * The resume pointer of a generator inside a size-lowered `yield*`: forwards next/throw/return to
 * the inner iterator. Four parameters: what it returns is the inner result object itself, handed
 * out as it is (isPassThrough), unless the delegation ended and the body ran on.
 */
function delegating(g: DelegatingFrame, v: unknown, m: number, _passThrough: unknown): unknown {
  // how the delegation ends (mode and value for the resume point after it), when it does
  let endMode = -1;
  let endValue: unknown;
  let r: any;
  try {
    r = delegateStep(g.$d, g.$dn, v, m);
    if (r === null) {
      // return() reached an iterator without `return`: the delegating generator returns
      endMode = 2;
      endValue = v;
    } else if (r.done) {
      endValue = r.value;
      endMode = m === 2 ? 2 : 0;
    }
  } catch (e) {
    endMode = 1;
    endValue = e;
  }
  // (outside the try: what the body does next is not the inner iterator's doing)
  if (endMode >= 0) return endDelegation(g, endValue, endMode);
  g.$r = delegating as unknown as ResumeFunction;
  return r;
}

/** The yield* completed with `v` (NEXT), threw `v` (THROW) or returns `v` (RETURN): the body goes on. */
function endDelegation(g: DelegatingFrame, v: unknown, m: number): unknown {
  const k = g.$dk!;
  g.$d = g.$dn = g.$dk = undefined;
  if (m !== 0 && isPlainPoint(k)) return completeAtPlainPoint(g, k, v, m);
  return k(g, v, m);
}

/** for-in over a snapshot of the enumerable string keys; keys deleted before their turn are skipped. */
export function forInKeys(obj: any): string[] {
  const keys: string[] = [];
  for (const k in obj) keys.push(k);
  return keys;
}

/** Whether a snapshot key of `forInKeys` is still present when its turn comes. */
export function forInHas(obj: any, k: string): boolean {
  return obj != null && k in Object(obj);
}

/**
 * Runs an async function lowered into a frame (build-time evaluation lowers them so its
 * interpreter needs no suspension of its own): each `await x` arrives as a yielded x; the frame is
 * resumed with its settled value, or the rejection is thrown in. Returns the function's promise.
 */
export function asyncRun(frame: GeneratorFrame): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const step = (v: unknown, rejected: boolean): void => {
      let r: IteratorResult<unknown>;
      try {
        r = rejected ? frame.throw(v) : frame.next(v);
      } catch (e) {
        reject(e);
        return;
      }
      if (r.done) resolve(r.value);
      else
        Promise.resolve(r.value).then(
          (x) => step(x, false),
          (e) => step(e, true),
        );
    };
    step(undefined, false);
  });
}
