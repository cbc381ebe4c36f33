// Proxy and Proxy.revocable. Traps are guest functions called with guest values; targets are guest
// objects, so a proxy is just another guest object. The spec's invariant checks on trap results
// are not enforced (a trap can only lie to guest code, never reach the host).

import type { Realm } from '../realm.js';
import { ACCESSOR, ENUMERABLE, GFunction, GObj, Slot, WRITABLE, CONFIGURABLE, type Descriptor, type Key, type Value } from '../values.js';
import { arg } from './base.js';

interface ProxyState {
  target: GObj;
  handler: GObj | null;
}

function trap(R: Realm, st: ProxyState, name: string): GFunction | undefined {
  if (st.handler === null) R.typeError(`Cannot perform '${name}' on a proxy that has been revoked`);
  return R.getMethod(st.handler, name);
}

function keyValue(k: Key): Value {
  return k;
}

/** The proxy internal methods, shared by the object and the callable proxy classes. */
function makeOps(R: Realm) {
  return {
    get(st: ProxyState, k: Key, receiver: Value): Value {
      const t = trap(R, st, 'get');
      return t ? R.call(t, st.handler, [st.target, keyValue(k), receiver]) : st.target.get(k, receiver);
    },
    set(st: ProxyState, k: Key, v: Value, receiver: Value): boolean {
      const t = trap(R, st, 'set');
      return t ? R.toBoolean(R.call(t, st.handler, [st.target, keyValue(k), v, receiver])) : st.target.set(k, v, receiver);
    },
    has(st: ProxyState, k: Key): boolean {
      const t = trap(R, st, 'has');
      return t ? R.toBoolean(R.call(t, st.handler, [st.target, keyValue(k)])) : st.target.has(k);
    },
    delete(st: ProxyState, k: Key): boolean {
      const t = trap(R, st, 'deleteProperty');
      return t ? R.toBoolean(R.call(t, st.handler, [st.target, keyValue(k)])) : st.target.delete(k);
    },
    defineOwn(st: ProxyState, k: Key, d: Descriptor): boolean {
      const t = trap(R, st, 'defineProperty');
      return t ? R.toBoolean(R.call(t, st.handler, [st.target, keyValue(k), R.fromDescriptor(d)])) : st.target.defineOwn(k, d);
    },
    getOwn(st: ProxyState, k: Key): Slot | undefined {
      const t = trap(R, st, 'getOwnPropertyDescriptor');
      if (!t) return st.target.getOwn(k);
      const r = R.call(t, st.handler, [st.target, keyValue(k)]);
      if (r === undefined) return undefined;
      const d = R.toDescriptor(r);
      const acc = 'get' in d || 'set' in d;
      const f = (d.enumerable ? ENUMERABLE : 0) | (d.configurable ? CONFIGURABLE : 0) | (acc ? ACCESSOR : d.writable ? WRITABLE : 0);
      return new Slot(acc ? undefined : d.value, d.get, d.set, f);
    },
    ownKeys(st: ProxyState): Key[] {
      const t = trap(R, st, 'ownKeys');
      if (!t) return st.target.ownKeys();
      const list = R.listFrom(R.call(t, st.handler, [st.target]));
      return list.map((k) => (typeof k === 'string' || typeof k === 'symbol' ? k : R.typeError(`${R.describe(k)} is not a valid property name`)));
    },
    getProto(st: ProxyState): GObj | null {
      const t = trap(R, st, 'getPrototypeOf');
      if (!t) return st.target.getProto();
      const p = R.call(t, st.handler, [st.target]);
      if (p !== null && !(p instanceof GObj)) R.typeError('getPrototypeOf trap returned neither object nor null');
      return p as GObj | null;
    },
    setProto(st: ProxyState, p: GObj | null): boolean {
      const t = trap(R, st, 'setPrototypeOf');
      return t ? R.toBoolean(R.call(t, st.handler, [st.target, p])) : st.target.setProto(p);
    },
    preventExtensions(st: ProxyState): boolean {
      const t = trap(R, st, 'preventExtensions');
      return t ? R.toBoolean(R.call(t, st.handler, [st.target])) : st.target.preventExtensions();
    },
  };
}

export function installProxy(R: Realm): void {
  const ops = makeOps(R);

  class ProxyObject extends GObj {
    declare st: ProxyState;
    constructor(st: ProxyState) {
      super(null, 'Proxy');
      this.exotic = true;
      this.st = st;
    }
    override getOwn(k: Key) {
      return ops.getOwn(this.st, k);
    }
    override get(k: Key, receiver: Value) {
      return ops.get(this.st, k, receiver);
    }
    override set(k: Key, v: Value, receiver: Value) {
      return ops.set(this.st, k, v, receiver);
    }
    override has(k: Key) {
      return ops.has(this.st, k);
    }
    override delete(k: Key) {
      return ops.delete(this.st, k);
    }
    override defineOwn(k: Key, d: Descriptor) {
      return ops.defineOwn(this.st, k, d);
    }
    override ownKeys() {
      return ops.ownKeys(this.st);
    }
    override getProto() {
      return ops.getProto(this.st);
    }
    override setProto(p: GObj | null) {
      return ops.setProto(this.st, p);
    }
    override preventExtensions() {
      return ops.preventExtensions(this.st);
    }
  }

  class ProxyFunction extends GFunction {
    declare st: ProxyState;
    constructor(st: ProxyState) {
      super(null);
      this.cls = 'Proxy';
      this.exotic = true;
      this.st = st;
      this.isConstructor = (st.target as GFunction).isConstructor;
    }
    override getOwn(k: Key) {
      return ops.getOwn(this.st, k);
    }
    override get(k: Key, receiver: Value) {
      return ops.get(this.st, k, receiver);
    }
    override set(k: Key, v: Value, receiver: Value) {
      return ops.set(this.st, k, v, receiver);
    }
    override has(k: Key) {
      return ops.has(this.st, k);
    }
    override delete(k: Key) {
      return ops.delete(this.st, k);
    }
    override defineOwn(k: Key, d: Descriptor) {
      return ops.defineOwn(this.st, k, d);
    }
    override ownKeys() {
      return ops.ownKeys(this.st);
    }
    override getProto() {
      return ops.getProto(this.st);
    }
    override setProto(p: GObj | null) {
      return ops.setProto(this.st, p);
    }
    override preventExtensions() {
      return ops.preventExtensions(this.st);
    }
    invoke(thisArg: Value, args: Value[]): Value {
      const t = trap(R, this.st, 'apply');
      return t ? R.call(t, this.st.handler, [this.st.target, thisArg, R.newArray(args.slice())]) : R.call(this.st.target, thisArg, args);
    }
    build(args: Value[], newTarget: GObj): Value {
      const t = trap(R, this.st, 'construct');
      if (!t) return R.construct(this.st.target, args, newTarget === this ? this.st.target : newTarget);
      const r = R.call(t, this.st.handler, [this.st.target, R.newArray(args.slice()), newTarget]);
      if (!(r instanceof GObj)) R.typeError('proxy [[Construct]] must return an object');
      return r;
    }
    displayName(): string {
      return (this.st.target as GFunction).displayName?.() ?? '';
    }
  }

  const create = (target: Value, handler: Value): GObj => {
    if (!(target instanceof GObj) || !(handler instanceof GObj)) R.typeError('Cannot create proxy with a non-object as target or handler');
    const st: ProxyState = { target, handler };
    return target instanceof GFunction ? new ProxyFunction(st) : new ProxyObject(st);
  };
  const P = R.fn('Proxy', 2, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Constructor Proxy requires 'new'");
    return create(arg(a, 0), arg(a, 1));
  }, true);
  R.global.put('Proxy', P);
  R.intrinsics.Proxy = P;
  R.method(P, 'revocable', 2, (_t, a) => {
    const p = create(arg(a, 0), arg(a, 1));
    const out = R.newObject();
    R.defineData(out, 'proxy', p);
    R.defineData(out, 'revoke', R.fn('', 0, () => {
      (p as unknown as { st: ProxyState }).st.handler = null;
      return undefined;
    }));
    return out;
  });
}
