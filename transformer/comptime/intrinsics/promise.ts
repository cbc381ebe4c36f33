// Promise with the realm's own job queue: reactions are queued on Realm.jobs and run by
// Realm.runJobs (each job costs a step, so a promise chain looping forever hits the step limit).

import { GuestThrow, type Realm } from '../realm.js';
import { GFunction, GObj, type Value } from '../values.js';
import { arg } from './base.js';

interface PromiseState {
  state: 'pending' | 'fulfilled' | 'rejected';
  value: Value;
  reactions: Reaction[];
  handled: boolean;
}
interface Capability {
  promise: GObj;
  resolve: GFunction;
  reject: GFunction;
}
interface Reaction {
  cap: Capability | undefined;
  kind: 'fulfill' | 'reject';
  handler: Value;
}

export function installPromise(R: Realm): void {
  const PP = new GObj(R.ObjectPrototype);
  let PromiseCtor: GFunction;

  const isPromise = (v: Value): v is GObj => v instanceof GObj && v.cls === 'Promise';
  const stateOf = (v: GObj) => v.internal as PromiseState;

  /** Runs guest code; a guest exception becomes the return value `{ threw }` (fatal errors pass). */
  const attempt = (f: () => Value): { ok: true; value: Value } | { ok: false; value: Value } => {
    const depth = R.depth;
    const site = R.site;
    try {
      return { ok: true, value: f() };
    } catch (e) {
      if (!(e instanceof GuestThrow)) throw e;
      R.unwindTo(depth);
      R.site = site;
      return { ok: false, value: e.value };
    }
  };

  const settle = (p: GObj, state: 'fulfilled' | 'rejected', value: Value): void => {
    const st = stateOf(p);
    if (st.state !== 'pending') return;
    st.state = state;
    st.value = value;
    const rs = st.reactions;
    st.reactions = [];
    for (const r of rs) if (r.kind === (state === 'fulfilled' ? 'fulfill' : 'reject')) enqueueReaction(r, value);
  };

  const enqueueReaction = (r: Reaction, value: Value): void => {
    R.enqueue(() => {
      let res: { ok: boolean; value: Value };
      if (!(r.handler instanceof GFunction)) res = { ok: r.kind === 'fulfill', value };
      else res = attempt(() => R.call(r.handler, undefined, [value]));
      if (!r.cap) return;
      R.call(res.ok ? r.cap.resolve : r.cap.reject, undefined, [res.value]);
    });
  };

  const resolvingFunctions = (p: GObj): { resolve: GFunction; reject: GFunction } => {
    let done = false;
    const resolve = R.fn('', 1, (_t, a) => {
      if (done) return undefined;
      done = true;
      resolvePromise(p, arg(a, 0));
      return undefined;
    });
    const reject = R.fn('', 1, (_t, a) => {
      if (done) return undefined;
      done = true;
      settle(p, 'rejected', arg(a, 0));
      return undefined;
    });
    return { resolve, reject };
  };

  const resolvePromise = (p: GObj, x: Value): void => {
    if (x === p) {
      settle(p, 'rejected', R.makeError('TypeError', 'Chaining cycle detected for promise'));
      return;
    }
    if (!(x instanceof GObj)) {
      settle(p, 'fulfilled', x);
      return;
    }
    const then = attempt(() => x.get('then', x));
    if (!then.ok) {
      settle(p, 'rejected', then.value);
      return;
    }
    if (!(then.value instanceof GFunction)) {
      settle(p, 'fulfilled', x);
      return;
    }
    const thenFn = then.value;
    R.enqueue(() => {
      const fns = resolvingFunctions(p);
      const r = attempt(() => R.call(thenFn, x, [fns.resolve, fns.reject]));
      if (!r.ok) R.call(fns.reject, undefined, [r.value]);
    });
  };

  const newPromise = (proto: GObj = PP): GObj => {
    const p = new GObj(proto, 'Promise');
    p.internal = { state: 'pending', value: undefined, reactions: [], handled: false } satisfies PromiseState;
    return p;
  };

  const newCapability = (C: Value): Capability => {
    if (C === PromiseCtor) {
      const promise = newPromise();
      return { promise, ...resolvingFunctions(promise) };
    }
    let resolve: Value;
    let reject: Value;
    const executor = R.fn('', 2, (_t, a) => {
      if (resolve !== undefined || reject !== undefined) R.typeError('Promise executor has already been invoked with non-undefined arguments');
      resolve = arg(a, 0);
      reject = arg(a, 1);
      return undefined;
    });
    const promise = R.construct(C, [executor]);
    if (!(resolve instanceof GFunction) || !(reject instanceof GFunction)) R.typeError('Promise resolve or reject function is not callable');
    if (!(promise instanceof GObj)) R.typeError('Promise constructor returned a non-object');
    return { promise, resolve, reject };
  };

  const speciesOf = (p: GObj): Value => {
    const C = p.get('constructor', p);
    if (C === undefined || C === PromiseCtor) return PromiseCtor;
    if (!(C instanceof GObj)) R.typeError('The promise constructor is not an object');
    const S = C.get(Symbol.species, C);
    return S === undefined || S === null ? PromiseCtor : S;
  };

  const performThen = (p: GObj, onF: Value, onR: Value, cap: Capability | undefined): void => {
    const st = stateOf(p);
    const f: Reaction = { cap, kind: 'fulfill', handler: onF instanceof GFunction ? onF : undefined };
    const r: Reaction = { cap, kind: 'reject', handler: onR instanceof GFunction ? onR : undefined };
    st.handled = true;
    if (st.state === 'pending') st.reactions.push(f, r);
    else if (st.state === 'fulfilled') enqueueReaction(f, st.value);
    else enqueueReaction(r, st.value);
  };

  PromiseCtor = R.ctor('Promise', 1, PP, (_t, a, nt) => {
    if (nt === undefined) R.typeError("Promise constructor cannot be invoked without 'new'");
    const executor = arg(a, 0);
    if (!(executor instanceof GFunction)) R.typeError(`Promise resolver ${R.describe(executor)} is not a function`);
    const p = newPromise(R.protoFrom(nt, PP));
    const fns = resolvingFunctions(p);
    const r = attempt(() => R.call(executor, undefined, [fns.resolve, fns.reject]));
    if (!r.ok) R.call(fns.reject, undefined, [r.value]);
    return p;
  });
  R.getter(PromiseCtor, Symbol.species, (t) => t);

  R.method(PP, 'then', 2, (t, a) => {
    if (!isPromise(t)) R.typeError('Promise.prototype.then called on incompatible receiver');
    const cap = newCapability(speciesOf(t));
    performThen(t, arg(a, 0), arg(a, 1), cap);
    return cap.promise;
  });
  R.method(PP, 'catch', 1, (t, a) => R.call(R.get(t, 'then'), t, [undefined, arg(a, 0)]));
  R.method(PP, 'finally', 1, (t, a) => {
    const f = arg(a, 0);
    if (!(f instanceof GFunction)) return R.call(R.get(t, 'then'), t, [f, f]);
    const onF = R.fn('', 1, (_t, x) => {
      const r = R.call(f, undefined, []);
      const p = promiseResolve(PromiseCtor, r);
      return R.call(R.get(p, 'then'), p, [R.fn('', 0, () => arg(x, 0))]);
    });
    const onR = R.fn('', 1, (_t, x) => {
      const r = R.call(f, undefined, []);
      const p = promiseResolve(PromiseCtor, r);
      return R.call(R.get(p, 'then'), p, [R.fn('', 0, () => {
        throw new GuestThrow(arg(x, 0));
      })]);
    });
    return R.call(R.get(t, 'then'), t, [onF, onR]);
  });
  PP.put(Symbol.toStringTag, 'Promise', 4);

  const promiseResolve = (C: Value, x: Value): GObj => {
    if (isPromise(x) && x.get('constructor', x) === C) return x;
    const cap = newCapability(C);
    R.call(cap.resolve, undefined, [x]);
    return cap.promise;
  };
  R.method(PromiseCtor, 'resolve', 1, (t, a) => promiseResolve(t, arg(a, 0)));
  R.method(PromiseCtor, 'reject', 1, (t, a) => {
    const cap = newCapability(t);
    R.call(cap.reject, undefined, [arg(a, 0)]);
    return cap.promise;
  });
  R.method(PromiseCtor, 'withResolvers', 0, (t) => {
    const cap = newCapability(t);
    const o = R.newObject();
    R.defineData(o, 'promise', cap.promise);
    R.defineData(o, 'resolve', cap.resolve);
    R.defineData(o, 'reject', cap.reject);
    return o;
  });
  const combinator = (name: string, mode: 'all' | 'allSettled' | 'any' | 'race') => {
    R.method(PromiseCtor, name, 1, (t, a) => {
      const cap = newCapability(t);
      const r = attempt(() => {
        const items = R.listFrom(arg(a, 0));
        const values: Value[] = new Array(items.length).fill(undefined);
        let remaining = items.length;
        const finish = () => {
          if (mode === 'any') {
            const e = R.construct(R.intrinsics.AggregateError, [R.newArray(values), 'All promises were rejected']);
            R.call(cap.reject, undefined, [e]);
          } else R.call(cap.resolve, undefined, [R.newArray(values)]);
        };
        if (remaining === 0 && mode !== 'race') finish();
        items.forEach((item, i) => {
          const p = R.call(R.get(t, 'resolve'), t, [item]);
          let called = false;
          const once = (f: (x: Value) => void) =>
            R.fn('', 1, (_t, x) => {
              if (called) return undefined;
              called = true;
              f(arg(x, 0));
              return undefined;
            });
          const record = (v: Value) => {
            values[i] = v;
            if (--remaining === 0) finish();
          };
          const settled = (status: string, key: string) => (v: Value) => {
            const o = R.newObject();
            R.defineData(o, 'status', status);
            R.defineData(o, key, v);
            record(o);
          };
          let onF: Value;
          let onR: Value;
          if (mode === 'all') [onF, onR] = [once(record), cap.reject];
          else if (mode === 'allSettled') [onF, onR] = [once(settled('fulfilled', 'value')), once(settled('rejected', 'reason'))];
          else if (mode === 'any') [onF, onR] = [cap.resolve, once(record)];
          else [onF, onR] = [cap.resolve, cap.reject];
          R.call(R.get(p, 'then'), p, [onF, onR]);
        });
        return undefined;
      });
      if (!r.ok) R.call(cap.reject, undefined, [r.value]);
      return cap.promise;
    });
  };
  combinator('all', 'all');
  combinator('allSettled', 'allSettled');
  combinator('any', 'any');
  combinator('race', 'race');
}
