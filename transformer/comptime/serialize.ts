// Turns the guest value a comptime() produced into a JavaScript expression that rebuilds it.
// Shared references and cycles survive: objects reached twice (or holding a back edge) are named
// in a small IIFE and cyclic edges are patched after every object exists. Anything that cannot be
// rebuilt faithfully is an error naming its path inside the result.

import type { Realm } from './realm.js';
import { ACCESSOR, ENUMERABLE, GArray, GFunction, GObj, HOLE, type Key, type Value } from './values.js';

export class SerializeError {
  constructor(
    readonly message: string,
    readonly path: string,
  ) {}
}

/** Classes opt in by defining `static [Symbol.for('corosplit.serializable')] = true`; their
 * instances are rebuilt with their own enumerable data properties and `ClassName.prototype`, so
 * the class must be in scope where the expression is inserted. */
export const SERIALIZABLE_KEY = 'corosplit.serializable';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Arrays longer than this with fewer than a quarter of their elements present are written sparsely. */
const SPARSE_MIN_LENGTH = 64;
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if implements import in instanceof interface let new null package private protected public return static super switch this throw true try typeof var void while with yield'.split(' '),
);

/**
 * The value of a data property found on `o` or its prototype chain; undefined for an accessor, a
 * Proxy on the way (its traps are guest code) or none. Runs no guest code.
 */
export function dataProperty(o: GObj, key: Key): Value {
  for (let p: GObj | null = o; p !== null; p = p.getProto()) {
    if (p.cls === 'Proxy') return undefined;
    const slot = p.getOwn(key);
    if (slot) return slot.f & ACCESSOR ? undefined : slot.v;
  }
  return undefined;
}
const TYPED = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];

export function serializePrimitive(v: Value): string {
  if (v === undefined) return 'void 0';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '-Infinity';
    if (Object.is(v, -0)) return '-0';
    return String(v);
  }
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  throw new Error('not a primitive');
}

function keyPath(path: string, k: Key): string {
  if (typeof k === 'symbol') return `${path}[${k.toString()}]`;
  return IDENT.test(k) ? `${path}.${k}` : /^\d+$/.test(k) ? `${path}[${k}]` : `${path}[${JSON.stringify(k)}]`;
}

function propKey(k: string): string {
  if (k === '__proto__') return '["__proto__"]';
  return IDENT.test(k) || (/^(0|[1-9]\d*)$/.test(k) && Number(k) <= Number.MAX_SAFE_INTEGER) ? k : JSON.stringify(k);
}

type Kind = 'array' | 'object' | 'map' | 'set' | 'date' | 'regexp' | 'typed' | 'buffer' | 'instance';

export function serialize(R: Realm, root: Value, rootName = 'result'): string {
  if (!(root instanceof GObj)) {
    if (typeof root === 'symbol') throw new SerializeError(`a symbol (${root.toString()}) at ${rootName} cannot be serialised`, rootName);
    return serializePrimitive(root);
  }
  const kinds = new Map<GObj, Kind>();
  /** The class name each serialisable instance is rebuilt with, checked once when it was classified. */
  const classNames = new Map<GObj, string>();
  const refs = new Map<GObj, number>();
  const needsName = new Set<GObj>();
  const onStack = new Set<GObj>();

  const classify = (o: GObj, path: string): Kind => {
    if (o instanceof GFunction) throw new SerializeError(`a function${o.displayName() ? ` (${o.displayName()})` : ''} at ${path} cannot be serialised`, path);
    for (let p: GObj | null = o; p !== null; p = p.getProto()) {
      const tag = p.getOwn(Symbol.toStringTag);
      if (tag && !(tag.f & ACCESSOR) && (tag.v === 'Generator' || tag.v === 'AsyncGenerator'))
        throw new SerializeError(`coroutine escapes constant evaluation: the generator object at ${path} is still alive when comptime() returns; return the values it produces instead (e.g. [...gen])`, path);
    }
    if (o instanceof GArray && o.cls === 'Array') {
      if (o.proto !== R.ArrayPrototype) throw new SerializeError(`an instance of an Array subclass at ${path} cannot be serialised`, path);
      for (const k of o.props.keys()) throw new SerializeError(`the array at ${path} has a property ${String(k)} besides its elements; only elements are serialised`, keyPath(path, k));
      return 'array';
    }
    const builtin: Record<string, Kind> = { Map: 'map', Set: 'set', Date: 'date', RegExp: 'regexp', TypedArray: 'typed', ArrayBuffer: 'buffer' };
    const k = builtin[o.cls];
    if (k) return k;
    if (o.cls === 'Object') {
      if (o.proto === R.ObjectPrototype || o.proto === null) return 'object';
      // Data properties only: a getter here would run guest code outside the evaluator's limits,
      // and could answer differently when the name is read again for the output.
      const ctor = dataProperty(o.proto, 'constructor');
      const optIn = R.symbolRegistry.get(SERIALIZABLE_KEY);
      if (optIn && ctor instanceof GFunction && dataProperty(ctor, optIn) === true && ctor.displayName()) {
        const name = ctor.displayName();
        // The name is pasted into the output as a reference: only a plain identifier may be.
        if (!IDENT.test(name) || RESERVED.has(name)) {
          throw new SerializeError(`the instance at ${path} is of a class named ${JSON.stringify(name)}, which is not an identifier the emitted code can refer to; give the class a plain name`, path);
        }
        classNames.set(o, name);
        return 'instance';
      }
      const name = ctor instanceof GFunction && ctor.displayName() ? ctor.displayName() : 'a class';
      throw new SerializeError(`an instance of ${name} at ${path} cannot be serialised (class instances need opt-in: static [Symbol.for('${SERIALIZABLE_KEY}')] = true)`, path);
    }
    const what = { Error: 'an Error', Promise: 'a Promise', WeakMap: 'a WeakMap', WeakSet: 'a WeakSet', Module: 'a module namespace' }[o.cls] ?? `a ${o.cls} object`;
    throw new SerializeError(`${what} at ${path} cannot be serialised`, path);
  };

  const children = (o: GObj, kind: Kind, path: string, visit: (v: Value, p: string) => void): void => {
    switch (kind) {
      case 'array':
        (o as GArray).items.forEach((x, i) => {
          if (x !== HOLE) visit(x as Value, `${path}[${i}]`);
        });
        return;
      case 'object':
      case 'instance':
        for (const k of o.ownKeys()) {
          const s = o.getOwn(k)!;
          if (typeof k === 'symbol') {
            if (kind === 'instance' || !(s.f & ENUMERABLE)) continue;
            throw new SerializeError(`a symbol-keyed property at ${keyPath(path, k)} cannot be serialised`, keyPath(path, k));
          }
          if (s.f & ACCESSOR) throw new SerializeError(`the accessor property at ${keyPath(path, k)} cannot be serialised`, keyPath(path, k));
          if (!(s.f & ENUMERABLE)) continue;
          visit(s.v, keyPath(path, k));
        }
        return;
      case 'map': {
        let i = 0;
        for (const [k, v] of o.internal as Map<Value, Value>) {
          visit(k, `${path}[entry ${i}].key`);
          visit(v, typeof k === 'string' || typeof k === 'number' ? `${path}.get(${JSON.stringify(k)})` : `${path}[entry ${i}].value`);
          i++;
        }
        return;
      }
      case 'set': {
        let i = 0;
        for (const v of o.internal as Set<Value>) visit(v, `${path}[entry ${i++}]`);
        return;
      }
      case 'typed':
        visit((o.internal as { buffer: GObj }).buffer, `${path}.buffer`);
        return;
    }
  };

  // Pass 1: validate, count references, find back edges.
  const walk = (v: Value, path: string, parent: GObj | undefined): void => {
    if (!(v instanceof GObj)) {
      if (typeof v === 'symbol') throw new SerializeError(`a symbol (${v.toString()}) at ${path} cannot be serialised`, path);
      return;
    }
    const n = refs.get(v) ?? 0;
    refs.set(v, n + 1);
    if (onStack.has(v)) {
      if (parent) needsName.add(parent);
      needsName.add(v);
      return;
    }
    if (n > 0) return;
    R.charge(1);
    const kind = classify(v, path);
    kinds.set(v, kind);
    onStack.add(v);
    children(v, kind, path, (c, p) => walk(c, p, v));
    onStack.delete(v);
  };
  walk(root, rootName, undefined);
  for (const [o, n] of refs) if (n > 1) needsName.add(o);

  // Pass 2: emit.
  const names = new Map<GObj, string>();
  const decls: string[] = [];
  const fixups: string[] = [];
  const inProgress = new Set<GObj>();

  // The emitted text is charged to the heap limit as it is built: a string shared by a thousand
  // references is written a thousand times, and the host must not build gigabytes of code for it.
  let written = 0;
  const spend = (n: number): void => {
    if ((written += n) > R.shownLimits.heapBytes) {
      throw new SerializeError(`the code for the result would be larger than the heap limit of ${R.shownLimits.heapBytes} bytes (a large value, or one shared by many references, is written out once per reference); return less, or raise the limit with comptime(fn, { heapBytes: N })`, rootName);
    }
  };
  const emit = (v: Value): { code: string; pending?: GObj } => {
    if (!(v instanceof GObj)) {
      const code = serializePrimitive(v);
      spend(code.length);
      return { code };
    }
    const name = names.get(v);
    if (name) return { code: name };
    if (inProgress.has(v)) return { code: 'void 0', pending: v };
    if (!needsName.has(v)) return { code: literal(v) };
    inProgress.add(v);
    const code = literal(v);
    inProgress.delete(v);
    const nm = `$${decls.length}`;
    names.set(v, nm);
    decls.push(`const ${nm} = ${code};`);
    return { code: nm };
  };
  // Back edges from a named container are patched once everything is declared; the container's
  // own name is only known after its literal is built, so patches refer to it lazily.
  const patch = (container: GObj, make: (self: string) => string, target: GObj): void => {
    fixups.push(`\0${fixups.length}`);
    const idx = fixups.length - 1;
    lazy.push(() => {
      fixups[idx] = make(names.get(container)!).replace('\0T', names.get(target)!);
    });
  };
  const lazy: (() => void)[] = [];

  const literal = (o: GObj): string => {
    const kind = kinds.get(o)!;
    switch (kind) {
      case 'array': {
        const items = (o as GArray).items;
        let present = 0;
        for (const x of items) if (x !== HOLE) present++;
        if (items.length > SPARSE_MIN_LENGTH && present * 4 < items.length) {
          // Mostly holes (`a[2e7] = 1`): set the elements on an empty array and its length after,
          // instead of writing every hole. No global is named, so a user's own `Array` cannot interfere.
          const sets: string[] = [];
          items.forEach((x, i) => {
            if (x === HOLE) return;
            const e = emit(x as Value);
            if (e.pending) patch(o, (self) => `${self}[${i}] = \0T;`, e.pending);
            spend(e.code.length + 16);
            sets.push(`a[${i}] = ${e.code}; `);
          });
          return `((a) => { ${sets.join('')}a.length = ${items.length}; return a; })([])`;
        }
        const parts: string[] = [];
        items.forEach((x, i) => {
          if (x === HOLE) {
            spend(2);
            parts.push('');
            return;
          }
          const e = emit(x as Value);
          if (e.pending) patch(o, (self) => `${self}[${i}] = \0T;`, e.pending);
          spend(e.code.length + 2);
          parts.push(e.code);
        });
        const trailingHole = items.length > 0 && items[items.length - 1] === HOLE;
        return `[${parts.join(', ')}${trailingHole ? ',' : ''}]`;
      }
      case 'object':
      case 'instance': {
        const parts: string[] = o.proto === null ? ['__proto__: null'] : [];
        for (const k of o.ownKeys()) {
          if (typeof k === 'symbol') continue;
          const s = o.getOwn(k)!;
          if (!(s.f & ENUMERABLE)) continue;
          const e = emit(s.v);
          if (e.pending) patch(o, (self) => `${self}[${JSON.stringify(k)}] = \0T;`, e.pending);
          parts.push(`${propKey(k)}: ${e.code}`);
        }
        const lit = `{${parts.length ? ` ${parts.join(', ')} ` : ''}}`;
        if (kind === 'instance') return `Object.setPrototypeOf(${lit}, ${classNames.get(o)!}.prototype)`;
        return lit;
      }
      case 'map': {
        const entries = [...(o.internal as Map<Value, Value>)];
        const emitted = entries.map(([k, v]) => [emit(k), emit(v)] as const);
        if (emitted.some(([k, v]) => k.pending || v.pending)) {
          // Rebuild the whole content after declarations so the entry order is kept.
          lazy.push(() => {
            const self = names.get(o)!;
            const ref = (x: Value) => (x instanceof GObj ? names.get(x) ?? emit(x).code : serializePrimitive(x));
            fixups.push(...entries.map(([k, v]) => `${self}.set(${ref(k)}, ${ref(v)});`));
          });
          return 'new Map()';
        }
        return entries.length ? `new Map([${emitted.map(([k, v]) => `[${k.code}, ${v.code}]`).join(', ')}])` : 'new Map()';
      }
      case 'set': {
        const vals = [...(o.internal as Set<Value>)];
        const emitted = vals.map((v) => emit(v));
        if (emitted.some((e) => e.pending)) {
          lazy.push(() => {
            const self = names.get(o)!;
            fixups.push(...vals.map((v) => `${self}.add(${v instanceof GObj ? names.get(v) ?? emit(v).code : serializePrimitive(v)});`));
          });
          return 'new Set()';
        }
        return vals.length ? `new Set([${emitted.map((e) => e.code).join(', ')}])` : 'new Set()';
      }
      case 'date':
        return `new Date(${serializePrimitive(o.internal as number)})`;
      case 'regexp': {
        const re = o.internal as { source: string; flags: string };
        return `new RegExp(${JSON.stringify(re.source)}, ${JSON.stringify(re.flags)})`;
      }
      case 'buffer': {
        const bytes = o.internal as Uint8Array;
        return `new Uint8Array([${Array.from(bytes).join(', ')}]).buffer`;
      }
      case 'typed': {
        const t = o.internal as { type: string; buffer: GObj; byteOffset: number; length: number; view: ArrayLike<number | bigint> };
        if (!TYPED.includes(t.type)) throw new SerializeError(`a ${t.type} cannot be serialised`, '');
        const bufShared = (refs.get(t.buffer) ?? 0) > 1;
        if (bufShared) {
          const b = emit(t.buffer);
          return `new ${t.type}(${b.code}, ${t.byteOffset}, ${t.length})`;
        }
        const vals = Array.from(t.view as ArrayLike<number | bigint>, (x) => serializePrimitive(x));
        return `new ${t.type}([${vals.join(', ')}])`;
      }
    }
    throw new Error('unreachable');
  };

  const top = emit(root);
  for (const f of lazy) f();
  // A bare object literal would parse as a block in statement position.
  if (decls.length === 0 && fixups.length === 0) return top.code.startsWith('{') ? `(${top.code})` : top.code;
  return `(() => { ${[...decls, ...fixups].join(' ')} return ${top.code}; })()`;
}
