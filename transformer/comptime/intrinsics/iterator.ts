// The Iterator global and the iterator helpers (map, filter, take, drop, flatMap, reduce, toArray,
// forEach, some, every, find), plus Iterator.from. Lowered generators inherit them through
// %IteratorPrototype%, so `fib().take(20).toArray()` works at build time.

import type { Realm } from '../realm.js';
import { CONFIGURABLE, GFunction, GObj, type Value } from '../values.js';
import { arg } from './base.js';

interface Direct {
  it: Value;
  next: Value;
}

export function installIterator(R: Realm): void {
  const IP = R.IteratorPrototype;
  R.ctor('Iterator', 0, IP, (_t, _a, nt) => {
    if (nt === undefined || nt === R.intrinsics.Iterator) R.typeError('Abstract class Iterator not directly constructable');
    return new GObj(R.protoFrom(nt, IP));
  });
  IP.put(Symbol.toStringTag, 'Iterator', CONFIGURABLE);

  const direct = (t: Value): Direct => {
    if (!(t instanceof GObj)) R.typeError('Iterator helper called on non-object');
    return { it: t, next: t.get('next', t) };
  };
  const step = (d: Direct): { done: boolean; value: Value } => {
    const r = R.call(d.next, d.it, []);
    if (!(r instanceof GObj)) R.typeError(`Iterator result ${R.describe(r)} is not an object`);
    if (R.toBoolean(r.get('done', r))) return { done: true, value: undefined };
    return { done: false, value: r.get('value', r) };
  };
  const fnArg = (v: Value, name: string): GFunction => (v instanceof GFunction ? v : R.typeError(`${R.describe(v)} is not a function (in Iterator.prototype.${name})`));

  const HP = new GObj(IP);
  HP.put(Symbol.toStringTag, 'Iterator Helper', CONFIGURABLE);
  interface Helper {
    src: Direct;
    pull: () => { done: boolean; value: Value };
    done: boolean;
    running: boolean;
    inner?: Direct;
  }
  R.method(HP, 'next', 0, (t) => {
    if (!(t instanceof GObj) || t.cls !== 'IteratorHelper') R.typeError('next called on incompatible receiver');
    const h = t.internal as Helper;
    if (h.done) return R.iterResult(undefined, true);
    if (h.running) R.typeError('Generator is already running');
    h.running = true;
    try {
      const r = h.pull();
      if (r.done) h.done = true;
      return R.iterResult(r.value, r.done);
    } catch (e) {
      h.done = true;
      throw e;
    } finally {
      h.running = false;
    }
  });
  R.method(HP, 'return', 0, (t) => {
    if (!(t instanceof GObj) || t.cls !== 'IteratorHelper') R.typeError('return called on incompatible receiver');
    const h = t.internal as Helper;
    if (!h.done) {
      h.done = true;
      if (h.inner) R.closeIterator(h.inner.it);
      R.closeIterator(h.src.it);
    }
    return R.iterResult(undefined, true);
  });
  const helper = (src: Direct, make: (h: Helper) => () => { done: boolean; value: Value }): GObj => {
    const o = new GObj(HP, 'IteratorHelper');
    const h: Helper = { src, pull: () => ({ done: true, value: undefined }), done: false, running: false };
    h.pull = make(h);
    o.internal = h;
    return o;
  };
  /** Calls guest code for one element; if it throws, the underlying iterator is closed first. */
  const guarded = <T>(src: Direct, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      R.closeIteratorQuietly(src.it);
      throw e;
    }
  };

  R.method(IP, 'map', 1, (t, a) => {
    const src = direct(t);
    const f = fnArg(arg(a, 0), 'map');
    let i = 0;
    return helper(src, () => () => {
      const r = step(src);
      if (r.done) return r;
      return { done: false, value: guarded(src, () => R.call(f, undefined, [r.value, i++])) };
    });
  });
  R.method(IP, 'filter', 1, (t, a) => {
    const src = direct(t);
    const f = fnArg(arg(a, 0), 'filter');
    let i = 0;
    return helper(src, () => () => {
      for (;;) {
        const r = step(src);
        if (r.done) return r;
        if (guarded(src, () => R.toBoolean(R.call(f, undefined, [r.value, i++])))) return r;
      }
    });
  });
  const count = (v: Value, name: string): number => {
    const n = R.toNumber(v);
    if (Number.isNaN(n)) R.rangeError(`${R.describe(v)} must be positive (in Iterator.prototype.${name})`);
    const k = Math.trunc(n);
    if (k < 0) R.rangeError(`${R.describe(v)} must be positive (in Iterator.prototype.${name})`);
    return k;
  };
  R.method(IP, 'take', 1, (t, a) => {
    const src = direct(t);
    let left = count(arg(a, 0), 'take');
    return helper(src, () => () => {
      if (left <= 0) {
        R.closeIterator(src.it);
        return { done: true, value: undefined };
      }
      left--;
      return step(src);
    });
  });
  R.method(IP, 'drop', 1, (t, a) => {
    const src = direct(t);
    let skip = count(arg(a, 0), 'drop');
    return helper(src, () => () => {
      while (skip > 0) {
        skip--;
        R.charge(1);
        const r = step(src);
        if (r.done) return r;
      }
      return step(src);
    });
  });
  R.method(IP, 'flatMap', 1, (t, a) => {
    const src = direct(t);
    const f = fnArg(arg(a, 0), 'flatMap');
    let i = 0;
    return helper(src, (h) => () => {
      for (;;) {
        if (h.inner) {
          const r = step(h.inner);
          if (!r.done) return r;
          h.inner = undefined;
        }
        const r = step(src);
        if (r.done) return r;
        const mapped = guarded(src, () => R.call(f, undefined, [r.value, i++]));
        const g = guarded(src, () => R.getIterator(mapped));
        h.inner = { it: g.it, next: g.next };
      }
    });
  });
  const consume = (t: Value, each: (v: Value, i: number) => boolean | void): void => {
    const src = direct(t);
    let i = 0;
    for (;;) {
      R.charge(1);
      const r = step(src);
      if (r.done) return;
      const stop = guarded(src, () => each(r.value, i++));
      if (stop) {
        R.closeIterator(src.it);
        return;
      }
    }
  };
  R.method(IP, 'toArray', 0, (t) => {
    const out: Value[] = [];
    consume(t, (v) => void out.push(v));
    return R.newArray(out);
  });
  R.method(IP, 'forEach', 1, (t, a) => {
    const f = fnArg(arg(a, 0), 'forEach');
    consume(t, (v, i) => void R.call(f, undefined, [v, i]));
    return undefined;
  });
  R.method(IP, 'reduce', 1, (t, a) => {
    const f = fnArg(arg(a, 0), 'reduce');
    let acc: Value = a.length > 1 ? a[1] : undefined;
    let has = a.length > 1;
    consume(t, (v, i) => {
      if (!has) {
        acc = v;
        has = true;
        return;
      }
      acc = R.call(f, undefined, [acc, v, i]);
    });
    if (!has) R.typeError('Reduce of empty iterator with no initial value');
    return acc;
  });
  R.method(IP, 'some', 1, (t, a) => {
    const f = fnArg(arg(a, 0), 'some');
    let found = false;
    consume(t, (v, i) => (found = R.toBoolean(R.call(f, undefined, [v, i]))));
    return found;
  });
  R.method(IP, 'every', 1, (t, a) => {
    const f = fnArg(arg(a, 0), 'every');
    let ok = true;
    consume(t, (v, i) => !(ok = R.toBoolean(R.call(f, undefined, [v, i]))));
    return ok;
  });
  R.method(IP, 'find', 1, (t, a) => {
    const f = fnArg(arg(a, 0), 'find');
    let found: Value = undefined;
    consume(t, (v, i) => {
      if (R.toBoolean(R.call(f, undefined, [v, i]))) {
        found = v;
        return true;
      }
      return false;
    });
    return found;
  });

  const WrapP = new GObj(IP);
  R.method(WrapP, 'next', 0, (t) => {
    const d = (t as GObj).internal as Direct;
    return R.call(d.next, d.it, []);
  });
  R.method(WrapP, 'return', 0, (t) => {
    const d = (t as GObj).internal as Direct;
    const ret = R.get(d.it, 'return');
    return ret === undefined || ret === null ? R.iterResult(undefined, true) : R.call(ret, d.it, []);
  });
  R.method(R.intrinsics.Iterator!, 'from', 1, (_t, a) => {
    const v = arg(a, 0);
    const m = typeof v === 'string' ? R.get(v, Symbol.iterator) : v instanceof GObj ? v.get(Symbol.iterator, v) : R.typeError(`${R.describe(v)} is not an iterator or iterable`);
    let d: Direct;
    if (m === undefined || m === null) d = direct(v);
    else d = R.getIterator(v);
    if (d.it instanceof GObj && R.ordinaryHasInstance(R.intrinsics.Iterator as GFunction, d.it)) return d.it;
    const w = new GObj(WrapP, 'WrappedIterator');
    w.internal = d;
    return w;
  });
}
