// Object, Function, Symbol, Boolean, the Error family, Reflect and globalThis: the core of the realm.
// Everything that would compile code from strings (Function, eval) is refused by name.

import { EvalFailure, rethrowIfFatal, type Realm } from '../realm.js';
import { ACCESSOR, BoundFunction, CONFIGURABLE, ENUMERABLE, GArray, GFunction, GObj, HOLE, WRITABLE, arrayIndex, type Key, type Value } from '../values.js';

export function arg(args: Value[], i: number): Value {
  return i < args.length ? args[i] : undefined;
}

export function installBase(R: Realm): void {
  const OP = new GObj(null);
  R.ObjectPrototype = OP;
  const FP = new GObj(OP, 'Function');
  R.FunctionPrototype = FP;
  R.global = new GObj(OP);
  const G = R.global;
  G.put('globalThis', G);
  G.put('undefined', undefined, 0);
  G.put('NaN', NaN, 0);
  G.put('Infinity', Infinity, 0);

  const thrower = R.fn('', 0, () => R.typeError("'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them"));
  thrower.extensible = false;
  R.intrinsics['%ThrowTypeError%'] = thrower;

  // ---------------- Object
  const Obj = R.ctor('Object', 1, OP, (_t, args, nt) => {
    const v = arg(args, 0);
    if (nt !== undefined && nt !== R.intrinsics.Object) return new GObj(R.protoFrom(nt, OP));
    if (v === undefined || v === null) return new GObj(OP);
    return R.toObject(v);
  });
  const toObj = (v: Value) => R.toObject(v);
  R.method(Obj, 'keys', 1, (_t, a) => R.newArray(enumerableOwn(R, toObj(arg(a, 0)), 'keys')));
  R.method(Obj, 'values', 1, (_t, a) => R.newArray(enumerableOwn(R, toObj(arg(a, 0)), 'values')));
  R.method(Obj, 'entries', 1, (_t, a) => R.newArray(enumerableOwn(R, toObj(arg(a, 0)), 'entries')));
  R.method(Obj, 'assign', 2, (_t, a) => {
    const target = toObj(arg(a, 0));
    for (let i = 1; i < a.length; i++) {
      const src = a[i];
      if (src === undefined || src === null) continue;
      const o = toObj(src);
      for (const k of o.ownKeys()) {
        const s = o.getOwn(k);
        if (s && s.f & ENUMERABLE) R.set(target, k, o.get(k, o));
      }
    }
    return target;
  });
  R.method(Obj, 'create', 2, (_t, a) => {
    const p = arg(a, 0);
    if (p !== null && !(p instanceof GObj)) R.typeError('Object prototype may only be an Object or null');
    const o = new GObj(p as GObj | null);
    const props = arg(a, 1);
    if (props !== undefined) defineProperties(R, o, props);
    return o;
  });
  R.method(Obj, 'getPrototypeOf', 1, (_t, a) => toObj(arg(a, 0)).getProto());
  R.method(Obj, 'setPrototypeOf', 2, (_t, a) => {
    const o = arg(a, 0);
    const p = arg(a, 1);
    if (p !== null && !(p instanceof GObj)) R.typeError('Object prototype may only be an Object or null');
    if (o instanceof GObj && !o.setProto(p as GObj | null)) R.typeError('Cyclic __proto__ value or non-extensible object');
    return o;
  });
  R.method(Obj, 'defineProperty', 3, (_t, a) => {
    const o = arg(a, 0);
    if (!(o instanceof GObj)) R.typeError('Object.defineProperty called on non-object');
    const k = R.toKey(arg(a, 1));
    if (!o.defineOwn(k, R.toDescriptor(arg(a, 2)))) R.typeError(`Cannot redefine property: ${String(k)}`);
    return o;
  });
  R.method(Obj, 'defineProperties', 2, (_t, a) => {
    const o = arg(a, 0);
    if (!(o instanceof GObj)) R.typeError('Object.defineProperties called on non-object');
    defineProperties(R, o, arg(a, 1));
    return o;
  });
  R.method(Obj, 'getOwnPropertyNames', 1, (_t, a) => R.newArray(toObj(arg(a, 0)).ownKeys().filter((k) => typeof k === 'string')));
  R.method(Obj, 'getOwnPropertySymbols', 1, (_t, a) => R.newArray(toObj(arg(a, 0)).ownKeys().filter((k) => typeof k === 'symbol')));
  R.method(Obj, 'getOwnPropertyDescriptor', 2, (_t, a) => R.fromDescriptor(R.ownDescriptor(toObj(arg(a, 0)), R.toKey(arg(a, 1)))));
  R.method(Obj, 'getOwnPropertyDescriptors', 1, (_t, a) => {
    const o = toObj(arg(a, 0));
    const out = R.newObject();
    for (const k of o.ownKeys()) R.defineData(out, k, R.fromDescriptor(R.ownDescriptor(o, k)));
    return out;
  });
  R.method(Obj, 'fromEntries', 1, (_t, a) => {
    const out = R.newObject();
    R.iterate(arg(a, 0), (e) => {
      R.defineData(out, R.toKey(R.get(e, 0)), R.get(e, 1));
    });
    return out;
  });
  R.method(Obj, 'is', 2, (_t, a) => Object.is(arg(a, 0), arg(a, 1)));
  const freezeLike = (level: 'freeze' | 'seal' | 'prevent') => (_t: Value, a: Value[]) => {
    const o = arg(a, 0);
    if (!(o instanceof GObj)) return o;
    if (level !== 'prevent') {
      if (o instanceof GArray) {
        o.frozenElems = level === 'freeze' || o.frozenElems;
        if (level === 'freeze') o.lengthWritable = false;
      }
      for (const k of o.ownKeys()) {
        if (o instanceof GArray && (k === 'length' || (arrayIndex(k) >= 0 && o.items[arrayIndex(k)] !== HOLE))) continue;
        const s = o.getOwn(k)!;
        s.f &= ~CONFIGURABLE;
        if (level === 'freeze' && !(s.f & ACCESSOR)) s.f &= ~WRITABLE;
      }
      if (o.internal && o.cls === 'TypedArray' && level === 'freeze' && o.internal.length > 0) R.typeError('Cannot freeze array buffer views with elements');
    }
    o.preventExtensions();
    return o;
  };
  R.method(Obj, 'freeze', 1, freezeLike('freeze'));
  R.method(Obj, 'seal', 1, freezeLike('seal'));
  R.method(Obj, 'preventExtensions', 1, freezeLike('prevent'));
  const isLevel = (level: 'frozen' | 'sealed') => (_t: Value, a: Value[]) => {
    const o = arg(a, 0);
    if (!(o instanceof GObj)) return true;
    if (o.extensible) return false;
    if (o instanceof GArray && o.items.some((x) => x !== HOLE) && (!o.frozenElems || level === 'frozen' ? !o.frozenElems : false)) return false;
    for (const k of o.ownKeys()) {
      const s = o.getOwn(k)!;
      if (s.f & CONFIGURABLE) return false;
      if (level === 'frozen' && !(s.f & ACCESSOR) && s.f & WRITABLE) return false;
    }
    return true;
  };
  R.method(Obj, 'isFrozen', 1, isLevel('frozen'));
  R.method(Obj, 'isSealed', 1, isLevel('sealed'));
  R.method(Obj, 'isExtensible', 1, (_t, a) => {
    const o = arg(a, 0);
    return o instanceof GObj && o.extensible;
  });
  R.method(Obj, 'groupBy', 2, (_t, a) => {
    const out = new GObj(null);
    const f = arg(a, 1);
    let i = 0;
    R.iterate(arg(a, 0), (x) => {
      const k = R.toKey(R.call(f, undefined, [x, i++]));
      const list = out.getOwn(k)?.v;
      if (list instanceof GArray) list.items.push(x);
      else R.defineData(out, k, R.newArray([x]));
    });
    return out;
  });
  R.method(Obj, 'hasOwn', 2, (_t, a) => toObj(arg(a, 0)).getOwn(R.toKey(arg(a, 1))) !== undefined);

  R.method(OP, 'hasOwnProperty', 1, (t, a) => {
    const k = R.toKey(arg(a, 0));
    return toObj(t).getOwn(k) !== undefined;
  });
  R.method(OP, 'isPrototypeOf', 1, (t, a) => {
    const v = arg(a, 0);
    if (!(v instanceof GObj)) return false;
    const o = toObj(t);
    for (let p = v.getProto(); p !== null; p = p.getProto()) if (p === o) return true;
    return false;
  });
  R.method(OP, 'propertyIsEnumerable', 1, (t, a) => {
    const s = toObj(t).getOwn(R.toKey(arg(a, 0)));
    return s !== undefined && (s.f & ENUMERABLE) !== 0;
  });
  R.method(OP, 'toString', 0, (t) => objectToString(R, t));
  R.method(OP, 'toLocaleString', 0, (t) => R.call(R.get(t, 'toString'), t, []));
  R.method(OP, 'valueOf', 0, (t) => toObj(t));
  const protoGetter = R.fn('get __proto__', 0, (t) => toObj(t).getProto());
  const protoSetter = R.fn('set __proto__', 1, (t, a) => {
    const p = arg(a, 0);
    if (t instanceof GObj && (p === null || p instanceof GObj) && !t.setProto(p)) R.typeError('Cyclic __proto__ value');
    return undefined;
  });
  OP.defineOwn('__proto__', { get: protoGetter, set: protoSetter, enumerable: false, configurable: true });

  // ---------------- Function
  R.ctor('Function', 1, FP, () => {
    throw new EvalFailure('comptime: the Function constructor (compiling code from a string) is not supported during build-time evaluation');
  });
  FP.internal = 'FunctionPrototype';
  R.method(FP, 'call', 1, (t, a) => R.call(t, arg(a, 0), a.slice(1)));
  R.method(FP, 'apply', 2, (t, a) => {
    const list = arg(a, 1);
    return R.call(t, arg(a, 0), list === undefined || list === null ? [] : arrayLike(R, list));
  });
  R.method(FP, 'bind', 1, (t, a) => {
    if (!(t instanceof GFunction)) R.typeError('Bind must be called on a function');
    const b = new BoundFunction(t.getProto() ?? FP, t, arg(a, 0), a.slice(1));
    const len = t.get('length', t);
    b.put('length', typeof len === 'number' ? Math.max(0, len - Math.max(0, a.length - 1)) : 0, CONFIGURABLE);
    const nm = t.get('name', t);
    b.put('name', 'bound ' + (typeof nm === 'string' ? nm : ''), CONFIGURABLE);
    return b;
  });
  R.method(FP, 'toString', 0, (t) => {
    if (!(t instanceof GFunction)) R.typeError('Function.prototype.toString requires that \'this\' be a Function');
    return `function ${t.displayName()}() { [native code] }`;
  });
  R.method(FP, Symbol.hasInstance, 1, (t, a) => (t instanceof GFunction ? R.ordinaryHasInstance(t, arg(a, 0)) : false));
  FP.defineOwn('caller', { get: thrower, set: thrower, enumerable: false, configurable: true });
  FP.defineOwn('arguments', { get: thrower, set: thrower, enumerable: false, configurable: true });
  FP.put('name', '', CONFIGURABLE);
  FP.put('length', 0, CONFIGURABLE);

  // ---------------- Symbol
  const SP = new GObj(OP);
  R.SymbolPrototype = SP;
  const Sym = R.ctor('Symbol', 0, SP, (_t, a, nt) => {
    if (nt !== undefined) R.typeError('Symbol is not a constructor');
    const d = arg(a, 0);
    return Symbol(d === undefined ? undefined : R.toString(d));
  });
  for (const name of ['iterator', 'asyncIterator', 'hasInstance', 'toPrimitive', 'toStringTag', 'species', 'isConcatSpreadable', 'unscopables', 'match', 'matchAll', 'replace', 'search', 'split'] as const) {
    Sym.put(name, Symbol[name], 0);
  }
  R.method(Sym, 'for', 1, (_t, a) => {
    const k = R.toString(arg(a, 0));
    let s = R.symbolRegistry.get(k);
    if (!s) {
      // A fresh symbol, not the host's Symbol.for(k): the guest registry is private to this realm.
      s = Symbol(k);
      R.symbolRegistry.set(k, s);
    }
    return s;
  });
  R.method(Sym, 'keyFor', 1, (_t, a) => {
    const s = arg(a, 0);
    if (typeof s !== 'symbol') R.typeError(`${R.describe(s)} is not a symbol`);
    for (const [k, v] of R.symbolRegistry) if (v === s) return k;
    return undefined;
  });
  const thisSymbol = (t: Value): symbol => {
    if (typeof t === 'symbol') return t;
    if (t instanceof GObj && typeof t.internal === 'symbol' && t.cls === 'Symbol') return t.internal;
    return R.typeError('Symbol.prototype method called on incompatible receiver');
  };
  R.method(SP, 'toString', 0, (t) => thisSymbol(t).toString());
  R.method(SP, 'valueOf', 0, (t) => thisSymbol(t));
  R.getter(SP, 'description', (t) => thisSymbol(t).description);
  SP.put(Symbol.toStringTag, 'Symbol', CONFIGURABLE);
  R.method(SP, Symbol.toPrimitive, 1, (t) => thisSymbol(t));

  // ---------------- Boolean
  const BP = new GObj(OP, 'Boolean');
  BP.internal = false;
  R.BooleanPrototype = BP;
  R.ctor('Boolean', 1, BP, (_t, a, nt) => {
    const b = R.toBoolean(arg(a, 0));
    if (nt === undefined) return b;
    const o = new GObj(R.protoFrom(nt, BP), 'Boolean');
    o.internal = b;
    return o;
  });
  const thisBool = (t: Value): boolean => {
    if (typeof t === 'boolean') return t;
    if (t instanceof GObj && t.cls === 'Boolean') return t.internal as boolean;
    return R.typeError('Boolean.prototype method called on incompatible receiver');
  };
  R.method(BP, 'toString', 0, (t) => String(thisBool(t)));
  R.method(BP, 'valueOf', 0, (t) => thisBool(t));

  // ---------------- Errors
  const EP = new GObj(OP);
  const makeErrorCtor = (name: string, proto: GObj, parent?: GObj) => {
    const c = R.ctor(name, 1, proto, (_t, a, nt) => {
      const e = new GObj(R.protoFrom(nt ?? R.intrinsics[name], proto), 'Error');
      const msg = arg(a, 0);
      if (msg !== undefined) e.put('message', R.toString(msg));
      const opts = arg(a, 1);
      if (opts instanceof GObj && opts.has('cause')) e.put('cause', opts.get('cause', opts));
      R.attachStack(e);
      return e;
    });
    if (parent) c.setProto(parent);
    proto.put('name', name);
    proto.put('message', '');
    return c;
  };
  const ErrorCtor = makeErrorCtor('Error', EP);
  R.method(EP, 'toString', 0, (t) => {
    if (!(t instanceof GObj)) R.typeError('Error.prototype.toString called on non-object');
    const n = t.get('name', t);
    const m = t.get('message', t);
    const ns = n === undefined ? 'Error' : R.toString(n);
    const ms = m === undefined ? '' : R.toString(m);
    return ns && ms ? `${ns}: ${ms}` : ns || ms;
  });
  for (const n of ['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError']) makeErrorCtor(n, new GObj(EP), ErrorCtor);
  const AEP = new GObj(EP);
  const AE = R.ctor('AggregateError', 2, AEP, (_t, a, nt) => {
    const e = new GObj(R.protoFrom(nt ?? R.intrinsics.AggregateError, AEP), 'Error');
    const msg = arg(a, 1);
    if (msg !== undefined) e.put('message', R.toString(msg));
    e.put('errors', R.newArray(R.listFrom(arg(a, 0))));
    R.attachStack(e);
    return e;
  });
  AE.setProto(ErrorCtor);
  AEP.put('name', 'AggregateError');
  AEP.put('message', '');

  // ---------------- Reflect
  const Reflect = new GObj(OP);
  G.put('Reflect', Reflect);
  Reflect.put(Symbol.toStringTag, 'Reflect', CONFIGURABLE);
  const needObj = (v: Value, what: string): GObj => (v instanceof GObj ? v : R.typeError(`Reflect.${what} called on non-object`));
  R.method(Reflect, 'apply', 3, (_t, a) => R.call(arg(a, 0), arg(a, 1), arrayLike(R, arg(a, 2))));
  R.method(Reflect, 'construct', 2, (_t, a) => {
    const nt = a.length > 2 ? arg(a, 2) : arg(a, 0);
    if (!(nt instanceof GFunction) || !nt.isConstructor) R.typeError('newTarget is not a constructor');
    return R.construct(arg(a, 0), arrayLike(R, arg(a, 1)), nt);
  });
  R.method(Reflect, 'get', 2, (_t, a) => {
    const o = needObj(arg(a, 0), 'get');
    return o.get(R.toKey(arg(a, 1)), a.length > 2 ? arg(a, 2) : o);
  });
  R.method(Reflect, 'set', 3, (_t, a) => {
    const o = needObj(arg(a, 0), 'set');
    return o.set(R.toKey(arg(a, 1)), arg(a, 2), a.length > 3 ? arg(a, 3) : o);
  });
  R.method(Reflect, 'has', 2, (_t, a) => needObj(arg(a, 0), 'has').has(R.toKey(arg(a, 1))));
  R.method(Reflect, 'ownKeys', 1, (_t, a) => R.newArray(needObj(arg(a, 0), 'ownKeys').ownKeys()));
  R.method(Reflect, 'getPrototypeOf', 1, (_t, a) => needObj(arg(a, 0), 'getPrototypeOf').getProto());
  R.method(Reflect, 'setPrototypeOf', 2, (_t, a) => {
    const p = arg(a, 1);
    if (p !== null && !(p instanceof GObj)) R.typeError('Object prototype may only be an Object or null');
    return needObj(arg(a, 0), 'setPrototypeOf').setProto(p as GObj | null);
  });
  R.method(Reflect, 'defineProperty', 3, (_t, a) => needObj(arg(a, 0), 'defineProperty').defineOwn(R.toKey(arg(a, 1)), R.toDescriptor(arg(a, 2))));
  R.method(Reflect, 'deleteProperty', 2, (_t, a) => needObj(arg(a, 0), 'deleteProperty').delete(R.toKey(arg(a, 1))));
  R.method(Reflect, 'getOwnPropertyDescriptor', 2, (_t, a) => R.fromDescriptor(R.ownDescriptor(needObj(arg(a, 0), 'getOwnPropertyDescriptor'), R.toKey(arg(a, 1)))));
  R.method(Reflect, 'isExtensible', 1, (_t, a) => needObj(arg(a, 0), 'isExtensible').extensible);
  R.method(Reflect, 'preventExtensions', 1, (_t, a) => needObj(arg(a, 0), 'preventExtensions').preventExtensions());

  // ---------------- globals that would reach outside the evaluation
  const refuse = (what: string) => () => {
    throw new EvalFailure(`comptime: ${what} is not supported during build-time evaluation`);
  };
  G.put('eval', R.fn('eval', 1, refuse('eval (compiling code from a string)')));
  for (const [name, why] of [
    ['setTimeout', 'setTimeout (timers)'],
    ['setInterval', 'setInterval (timers)'],
    ['setImmediate', 'setImmediate (timers)'],
    ['queueMicrotask', 'queueMicrotask'],
    ['fetch', 'fetch (I/O)'],
  ] as const) {
    G.put(name, R.fn(name, 1, name === 'queueMicrotask' ? (_t, a) => {
      const f = arg(a, 0);
      if (!(f instanceof GFunction)) R.typeError('queueMicrotask requires a function');
      R.enqueue(() => void R.call(f, undefined, []));
      return undefined;
    } : refuse(why)));
  }
  R.method(G, 'isNaN', 1, (_t, a) => Number.isNaN(R.toNumber(arg(a, 0))));
  R.method(G, 'isFinite', 1, (_t, a) => Number.isFinite(R.toNumber(arg(a, 0))));
  for (const name of ['encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI'] as const) {
    R.method(G, name, 1, (_t, a) => {
      try {
        return globalThis[name](R.toString(arg(a, 0)));
      } catch (e) {
        rethrowIfFatal(e);
        return R.throwError('URIError', (e as Error).message);
      }
    });
  }
}

export function objectToString(R: Realm, t: Value): string {
  if (t === undefined) return '[object Undefined]';
  if (t === null) return '[object Null]';
  const o = R.toObject(t);
  let builtin = 'Object';
  if (o instanceof GArray && o.cls === 'Array') builtin = 'Array';
  else if (o.cls === 'Arguments') builtin = 'Arguments';
  else if (o instanceof GFunction) builtin = 'Function';
  else if (['Error', 'Boolean', 'Number', 'String', 'Date', 'RegExp'].includes(o.cls)) builtin = o.cls;
  const tag = o.get(Symbol.toStringTag, o);
  return `[object ${typeof tag === 'string' ? tag : builtin}]`;
}

export function enumerableOwn(R: Realm, o: GObj, what: 'keys' | 'values' | 'entries'): Value[] {
  const out: Value[] = [];
  if (o instanceof GArray && o.props.size === 0 && what === 'keys') {
    for (let i = 0; i < o.items.length; i++) if (o.items[i] !== HOLE) out.push(String(i));
    return out;
  }
  for (const k of o.ownKeys()) {
    if (typeof k !== 'string') continue;
    const s = o.getOwn(k);
    if (!s || !(s.f & ENUMERABLE)) continue;
    if (what === 'keys') out.push(k);
    else {
      const v = o.get(k, o);
      out.push(what === 'values' ? v : R.newArray([k, v]));
    }
  }
  R.charge(out.length);
  return out;
}

function defineProperties(R: Realm, o: GObj, props: Value): void {
  const p = R.toObject(props);
  const ds: [Key, ReturnType<Realm['toDescriptor']>][] = [];
  for (const k of p.ownKeys()) {
    const s = p.getOwn(k);
    if (s && s.f & ENUMERABLE) ds.push([k, R.toDescriptor(p.get(k, p))]);
  }
  for (const [k, d] of ds) if (!o.defineOwn(k, d)) R.typeError(`Cannot redefine property: ${String(k)}`);
}

export function arrayLike(R: Realm, v: Value): Value[] {
  if (v instanceof GArray) return v.items.map((x, i) => (x === HOLE ? v.getIndex(i) : (x as Value)));
  if (!(v instanceof GObj)) return R.typeError('CreateListFromArrayLike called on non-object');
  const n = R.toLength(v.get('length', v));
  R.charge(n);
  const out: Value[] = [];
  for (let i = 0; i < n; i++) out.push(v.get(String(i), v));
  return out;
}
