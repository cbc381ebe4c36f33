// Map, Set, WeakMap, WeakSet. Storage is a host Map/Set/WeakMap keyed by guest values (SameValueZero
// is exactly the host's key equality); host iterators over it stay internal to the iterator objects.

import type { Realm } from '../realm.js';
import { CONFIGURABLE, GFunction, GObj, type Value } from '../values.js';
import { arg } from './base.js';

export function installCollections(R: Realm): void {
  const OP = R.ObjectPrototype;

  const need = (t: Value, cls: string, name: string): any => {
    if (!(t instanceof GObj) || t.cls !== cls) R.typeError(`Method ${cls}.prototype.${name} called on incompatible receiver ${R.describe(t)}`);
    return t.internal;
  };
  const normKey = (k: Value): Value => (Object.is(k, -0) ? 0 : k);

  const iterProto = (tag: string) => {
    const p = new GObj(R.IteratorPrototype);
    p.put(Symbol.toStringTag, tag, CONFIGURABLE);
    R.method(p, 'next', 0, (t) => {
      if (!(t instanceof GObj) || t.cls !== tag) R.typeError(`next method called on incompatible receiver`);
      const st = t.internal as { it: Iterator<unknown> | undefined; map: (x: any) => Value };
      if (!st.it) return R.iterResult(undefined, true);
      R.charge(1);
      const r = st.it.next();
      if (r.done) {
        st.it = undefined;
        return R.iterResult(undefined, true);
      }
      return R.iterResult(st.map(r.value), false);
    });
    return p;
  };
  const MIP = iterProto('Map Iterator');
  const SIP = iterProto('Set Iterator');
  const mkIter = (proto: GObj, tag: string, it: Iterator<unknown>, map: (x: any) => Value): GObj => {
    const o = new GObj(proto, tag);
    o.internal = { it, map };
    return o;
  };

  // ---------------- Map
  const MP = new GObj(OP);
  const MapCtor = R.ctor('Map', 0, MP, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Constructor Map requires 'new'");
    const o = new GObj(R.protoFrom(nt, MP), 'Map');
    o.internal = new Map<Value, Value>();
    const init = arg(a, 0);
    if (init !== undefined && init !== null) {
      const adder = o.get('set', o);
      R.iterate(init, (e) => {
        if (!(e instanceof GObj)) R.typeError(`Iterator value ${R.describe(e)} is not an entry object`);
        R.call(adder, o, [R.get(e, 0), R.get(e, 1)]);
      });
    }
    return o;
  });
  R.getter(MapCtor, Symbol.species, (t) => t);
  R.method(MapCtor, 'groupBy', 2, (_t, a) => {
    const m = R.construct(MapCtor, []) as GObj;
    const store = m.internal as Map<Value, Value>;
    let i = 0;
    R.iterate(arg(a, 0), (x) => {
      const k = normKey(R.call(arg(a, 1), undefined, [x, i++]));
      const list = store.get(k);
      if (list instanceof GObj) R.call(R.get(list, 'push'), list, [x]);
      else store.set(k, R.newArray([x]));
    });
    return m;
  });
  R.method(MP, 'get', 1, (t, a) => (need(t, 'Map', 'get') as Map<Value, Value>).get(normKey(arg(a, 0))));
  R.method(MP, 'set', 2, (t, a) => {
    const m = need(t, 'Map', 'set') as Map<Value, Value>;
    const k = normKey(arg(a, 0));
    if (!m.has(k)) R.chargeHeap(48);
    m.set(k, arg(a, 1));
    return t;
  });
  R.method(MP, 'has', 1, (t, a) => (need(t, 'Map', 'has') as Map<Value, Value>).has(normKey(arg(a, 0))));
  R.fast1(MP, 'get', (t, k) => (need(t, 'Map', 'get') as Map<Value, Value>).get(normKey(k)));
  R.fast2(MP, 'set', (t, k, v) => {
    const m = need(t, 'Map', 'set') as Map<Value, Value>;
    const key = normKey(k);
    if (!m.has(key)) R.chargeHeap(48);
    m.set(key, v);
    return t;
  });
  R.fast1(MP, 'has', (t, k) => (need(t, 'Map', 'has') as Map<Value, Value>).has(normKey(k)));
  R.method(MP, 'delete', 1, (t, a) => (need(t, 'Map', 'delete') as Map<Value, Value>).delete(normKey(arg(a, 0))));
  R.method(MP, 'clear', 0, (t) => {
    (need(t, 'Map', 'clear') as Map<Value, Value>).clear();
    return undefined;
  });
  R.getter(MP, 'size', (t) => (need(t, 'Map', 'size') as Map<Value, Value>).size);
  R.method(MP, 'forEach', 1, (t, a) => {
    const m = need(t, 'Map', 'forEach') as Map<Value, Value>;
    const f = arg(a, 0);
    if (!(f instanceof GFunction)) R.typeError(`${R.describe(f)} is not a function`);
    for (const [k, v] of m) f.invoke(arg(a, 1), [v, k, t]);
    return undefined;
  });
  R.method(MP, 'keys', 0, (t) => mkIter(MIP, 'Map Iterator', (need(t, 'Map', 'keys') as Map<Value, Value>).keys(), (x) => x));
  R.method(MP, 'values', 0, (t) => mkIter(MIP, 'Map Iterator', (need(t, 'Map', 'values') as Map<Value, Value>).values(), (x) => x));
  const mapEntries = R.method(MP, 'entries', 0, (t) => mkIter(MIP, 'Map Iterator', (need(t, 'Map', 'entries') as Map<Value, Value>).entries(), (e: [Value, Value]) => R.newArray([e[0], e[1]])));
  MP.put(Symbol.iterator, mapEntries);
  MP.put(Symbol.toStringTag, 'Map', CONFIGURABLE);

  // ---------------- Set
  const SP = new GObj(OP);
  const SetCtor = R.ctor('Set', 0, SP, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Constructor Set requires 'new'");
    const o = new GObj(R.protoFrom(nt, SP), 'Set');
    o.internal = new Set<Value>();
    const init = arg(a, 0);
    if (init !== undefined && init !== null) {
      const adder = o.get('add', o);
      if (adder === SetAdd) {
        const s = o.internal as Set<Value>;
        R.iterate(init, (x) => {
          R.chargeHeap(32);
          s.add(normKey(x));
        });
      } else R.iterate(init, (x) => void R.call(adder, o, [x]));
    }
    return o;
  });
  R.getter(SetCtor, Symbol.species, (t) => t);
  const SetAdd = R.method(SP, 'add', 1, (t, a) => {
    const s = need(t, 'Set', 'add') as Set<Value>;
    const k = normKey(arg(a, 0));
    if (!s.has(k)) R.chargeHeap(32);
    s.add(k);
    return t;
  });
  R.method(SP, 'has', 1, (t, a) => (need(t, 'Set', 'has') as Set<Value>).has(normKey(arg(a, 0))));
  R.fast1(SP, 'has', (t, k) => (need(t, 'Set', 'has') as Set<Value>).has(normKey(k)));
  R.fast1(SP, 'add', (t, k) => {
    const s = need(t, 'Set', 'add') as Set<Value>;
    const key = normKey(k);
    if (!s.has(key)) R.chargeHeap(32);
    s.add(key);
    return t;
  });
  R.method(SP, 'delete', 1, (t, a) => (need(t, 'Set', 'delete') as Set<Value>).delete(normKey(arg(a, 0))));
  R.method(SP, 'clear', 0, (t) => {
    (need(t, 'Set', 'clear') as Set<Value>).clear();
    return undefined;
  });
  R.getter(SP, 'size', (t) => (need(t, 'Set', 'size') as Set<Value>).size);
  R.method(SP, 'forEach', 1, (t, a) => {
    const s = need(t, 'Set', 'forEach') as Set<Value>;
    const f = arg(a, 0);
    if (!(f instanceof GFunction)) R.typeError(`${R.describe(f)} is not a function`);
    for (const v of s) f.invoke(arg(a, 1), [v, v, t]);
    return undefined;
  });
  const setValues = R.method(SP, 'values', 0, (t) => mkIter(SIP, 'Set Iterator', (need(t, 'Set', 'values') as Set<Value>).values(), (x) => x));
  SP.put('keys', setValues);
  SP.put(Symbol.iterator, setValues);
  R.method(SP, 'entries', 0, (t) => mkIter(SIP, 'Set Iterator', (need(t, 'Set', 'entries') as Set<Value>).values(), (x) => R.newArray([x, x])));
  SP.put(Symbol.toStringTag, 'Set', CONFIGURABLE);
  // Set methods (ES2025), for set-like arguments that are guest Sets.
  const otherSet = (v: Value): Set<Value> => {
    if (v instanceof GObj && v.cls === 'Set') return v.internal as Set<Value>;
    if (v instanceof GObj && v.cls === 'Map') return new Set((v.internal as Map<Value, Value>).keys());
    return R.typeError('Set methods require a Set or Map argument during build-time evaluation');
  };
  const newSet = (vals: Iterable<Value>): GObj => {
    const o = new GObj(SP, 'Set');
    const set = new Set(vals);
    R.charge(set.size);
    R.chargeHeap(set.size * 32);
    o.internal = set;
    return o;
  };
  R.method(SP, 'union', 1, (t, a) => newSet([...(need(t, 'Set', 'union') as Set<Value>), ...otherSet(arg(a, 0))]));
  R.method(SP, 'intersection', 1, (t, a) => {
    const o = otherSet(arg(a, 0));
    return newSet([...(need(t, 'Set', 'intersection') as Set<Value>)].filter((x) => o.has(x)));
  });
  R.method(SP, 'difference', 1, (t, a) => {
    const o = otherSet(arg(a, 0));
    return newSet([...(need(t, 'Set', 'difference') as Set<Value>)].filter((x) => !o.has(x)));
  });
  R.method(SP, 'symmetricDifference', 1, (t, a) => {
    const s = need(t, 'Set', 'symmetricDifference') as Set<Value>;
    const o = otherSet(arg(a, 0));
    return newSet([...[...s].filter((x) => !o.has(x)), ...[...o].filter((x) => !s.has(x))]);
  });
  R.method(SP, 'isSubsetOf', 1, (t, a) => {
    const o = otherSet(arg(a, 0));
    return [...(need(t, 'Set', 'isSubsetOf') as Set<Value>)].every((x) => o.has(x));
  });
  R.method(SP, 'isSupersetOf', 1, (t, a) => {
    const s = need(t, 'Set', 'isSupersetOf') as Set<Value>;
    return [...otherSet(arg(a, 0))].every((x) => s.has(x));
  });
  R.method(SP, 'isDisjointFrom', 1, (t, a) => {
    const o = otherSet(arg(a, 0));
    return [...(need(t, 'Set', 'isDisjointFrom') as Set<Value>)].every((x) => !o.has(x));
  });

  // ---------------- WeakMap / WeakSet
  const canBeHeldWeakly = (v: Value): v is GObj => v instanceof GObj;
  const WMP = new GObj(OP);
  R.ctor('WeakMap', 0, WMP, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Constructor WeakMap requires 'new'");
    const o = new GObj(R.protoFrom(nt, WMP), 'WeakMap');
    o.internal = new WeakMap<GObj, Value>();
    const init = arg(a, 0);
    if (init !== undefined && init !== null) R.iterate(init, (e) => void R.call(o.get('set', o), o, [R.get(e, 0), R.get(e, 1)]));
    return o;
  });
  R.method(WMP, 'get', 1, (t, a) => {
    const k = arg(a, 0);
    return canBeHeldWeakly(k) ? (need(t, 'WeakMap', 'get') as WeakMap<GObj, Value>).get(k) : undefined;
  });
  R.method(WMP, 'set', 2, (t, a) => {
    const k = arg(a, 0);
    if (!canBeHeldWeakly(k)) R.typeError(`Invalid value used as weak map key`);
    R.chargeHeap(48);
    (need(t, 'WeakMap', 'set') as WeakMap<GObj, Value>).set(k, arg(a, 1));
    return t;
  });
  R.method(WMP, 'has', 1, (t, a) => {
    const k = arg(a, 0);
    return canBeHeldWeakly(k) && (need(t, 'WeakMap', 'has') as WeakMap<GObj, Value>).has(k);
  });
  R.method(WMP, 'delete', 1, (t, a) => {
    const k = arg(a, 0);
    return canBeHeldWeakly(k) && (need(t, 'WeakMap', 'delete') as WeakMap<GObj, Value>).delete(k);
  });
  WMP.put(Symbol.toStringTag, 'WeakMap', CONFIGURABLE);
  const WSP = new GObj(OP);
  R.ctor('WeakSet', 0, WSP, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Constructor WeakSet requires 'new'");
    const o = new GObj(R.protoFrom(nt, WSP), 'WeakSet');
    o.internal = new WeakSet<GObj>();
    const init = arg(a, 0);
    if (init !== undefined && init !== null) R.iterate(init, (x) => void R.call(o.get('add', o), o, [x]));
    return o;
  });
  R.method(WSP, 'add', 1, (t, a) => {
    const k = arg(a, 0);
    if (!canBeHeldWeakly(k)) R.typeError(`Invalid value used in weak set`);
    R.chargeHeap(32);
    (need(t, 'WeakSet', 'add') as WeakSet<GObj>).add(k);
    return t;
  });
  R.method(WSP, 'has', 1, (t, a) => {
    const k = arg(a, 0);
    return canBeHeldWeakly(k) && (need(t, 'WeakSet', 'has') as WeakSet<GObj>).has(k);
  });
  R.method(WSP, 'delete', 1, (t, a) => {
    const k = arg(a, 0);
    return canBeHeldWeakly(k) && (need(t, 'WeakSet', 'delete') as WeakSet<GObj>).delete(k);
  });
  WSP.put(Symbol.toStringTag, 'WeakSet', CONFIGURABLE);
}
