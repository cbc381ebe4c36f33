// String, Number, BigInt and Math. Operations on primitives call the host's own string and number
// methods: they take and return primitives only, so no guest object crosses over; anything that
// can make a long string is checked against the heap budget first.

import { rethrowIfFatal, type Realm } from '../realm.js';
import { CONFIGURABLE, GFunction, GObj, type Value } from '../values.js';
import { arg } from './base.js';

export function installString(R: Realm): void {
  const OP = R.ObjectPrototype;
  const SP = new GObj(OP, 'String');
  SP.internal = '';
  SP.put('length', 0, 0);
  R.StringPrototype = SP;
  const StringCtor = R.ctor('String', 1, SP, (_t, a, nt) => {
    const v = a.length === 0 ? '' : typeof a[0] === 'symbol' && nt === undefined ? a[0].toString() : R.toString(a[0]);
    if (nt === undefined) return v;
    const o = R.toObject(v);
    o.proto = R.protoFrom(nt, SP);
    return o;
  });
  R.method(StringCtor, 'fromCharCode', 1, (_t, a) => {
    if (a.length === 1) return String.fromCharCode(typeof a[0] === 'number' ? a[0] : R.toNumber(a[0]));
    return String.fromCharCode(...a.map((x) => R.toNumber(x)));
  });
  R.method(StringCtor, 'fromCodePoint', 1, (_t, a) => {
    try {
      return String.fromCodePoint(...a.map((x) => R.toNumber(x)));
    } catch (e) {
      rethrowIfFatal(e);
      return R.rangeError((e as Error).message);
    }
  });
  R.method(StringCtor, 'raw', 1, (_t, a) => {
    const strs = R.toObject(arg(a, 0));
    const raw = R.toObject(strs.get('raw', strs));
    const n = R.toLength(raw.get('length', raw));
    let s = '';
    for (let i = 0; i < n; i++) {
      s += R.toString(raw.get(String(i), raw));
      if (i + 1 < n && i + 1 < a.length) s += R.toString(a[i + 1]);
    }
    return s;
  });

  const thisStr = (t: Value, name: string): string => {
    if (typeof t === 'string') return t;
    if (t === undefined || t === null) R.typeError(`String.prototype.${name} called on null or undefined`);
    return R.toString(t);
  };
  const str = (v: Value) => R.toString(v);
  const optInt = (v: Value) => (v === undefined ? undefined : R.toIntegerOrInfinity(v));
  const simple: [string, number, (s: string, a: Value[]) => Value][] = [
    ['charAt', 1, (s, a) => s.charAt(R.toIntegerOrInfinity(arg(a, 0)))],
    ['charCodeAt', 1, (s, a) => s.charCodeAt(R.toIntegerOrInfinity(arg(a, 0)))],
    ['codePointAt', 1, (s, a) => s.codePointAt(R.toIntegerOrInfinity(arg(a, 0)))],
    ['at', 1, (s, a) => s.at(R.toIntegerOrInfinity(arg(a, 0)))],
    ['indexOf', 1, (s, a) => s.indexOf(str(arg(a, 0)), R.toIntegerOrInfinity(arg(a, 1)))],
    ['lastIndexOf', 1, (s, a) => s.lastIndexOf(str(arg(a, 0)), arg(a, 1) === undefined ? Infinity : R.toNumber(arg(a, 1)))],
    ['slice', 2, (s, a) => s.slice(optInt(arg(a, 0)), optInt(arg(a, 1)))],
    ['substring', 2, (s, a) => s.substring(R.toIntegerOrInfinity(arg(a, 0)), arg(a, 1) === undefined ? s.length : R.toIntegerOrInfinity(arg(a, 1)))],
    ['substr', 2, (s, a) => s.substr(R.toIntegerOrInfinity(arg(a, 0)), optInt(arg(a, 1)))],
    ['toUpperCase', 0, (s) => s.toUpperCase()],
    ['toLowerCase', 0, (s) => s.toLowerCase()],
    ['toLocaleUpperCase', 0, (s) => s.toUpperCase()],
    ['toLocaleLowerCase', 0, (s) => s.toLowerCase()],
    ['trim', 0, (s) => s.trim()],
    ['trimStart', 0, (s) => s.trimStart()],
    ['trimEnd', 0, (s) => s.trimEnd()],
    ['normalize', 0, (s, a) => {
      try {
        return s.normalize(arg(a, 0) === undefined ? undefined : (str(arg(a, 0)) as 'NFC'));
      } catch (e) {
        rethrowIfFatal(e);
        return R.rangeError((e as Error).message);
      }
    }],
    ['isWellFormed', 0, (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()],
    ['toWellFormed', 0, (s) => (s as unknown as { toWellFormed(): string }).toWellFormed()],
    ['localeCompare', 1, (s, a) => {
      const o = str(arg(a, 0));
      // Locale-independent: the build must not depend on the machine's ICU locale.
      return s < o ? -1 : s > o ? 1 : 0;
    }],
    ['concat', 1, (s, a) => R.checkString(s + a.map(str).join(''))],
    ['toString', 0, (s) => s],
    ['valueOf', 0, (s) => s],
  ];
  for (const [name, length, f] of simple) {
    const strict = name === 'toString' || name === 'valueOf';
    R.method(SP, name, length, (t, a) => {
      if (typeof t === 'string') {
        // Host string methods are linear in the string; long strings cost accordingly.
        if (t.length > 1024) R.charge(t.length >> 10);
        return f(t, a);
      }
      if (strict) {
        if (t instanceof GObj && t.cls === 'String') return t.internal as string;
        R.typeError(`String.prototype.${name} requires that 'this' be a String`);
      }
      return f(thisStr(t, name), a);
    });
  }
  const int = (v: Value): number => (typeof v === 'number' && Number.isInteger(v) ? v : R.toIntegerOrInfinity(v));
  R.fast1(SP, 'charCodeAt', (t, a0) => (typeof t === 'string' ? t.charCodeAt(int(a0)) : thisStr(t, 'charCodeAt').charCodeAt(int(a0))));
  R.fast1(SP, 'charAt', (t, a0) => (typeof t === 'string' ? t.charAt(int(a0)) : thisStr(t, 'charAt').charAt(int(a0))));
  R.fast1(SP, 'codePointAt', (t, a0) => (typeof t === 'string' ? t.codePointAt(int(a0)) : thisStr(t, 'codePointAt').codePointAt(int(a0))));
  const padFast = (start: boolean) => (t: Value, n: Value, fill: Value): Value => {
    const s = typeof t === 'string' ? t : thisStr(t, start ? 'padStart' : 'padEnd');
    const len = R.toLength(n);
    if (len > R.maxStringLength) R.checkString({ length: len } as string);
    const f = fill === undefined ? ' ' : typeof fill === 'string' ? fill : str(fill);
    R.chargeString(len - s.length);
    return start ? s.padStart(len, f) : s.padEnd(len, f);
  };
  R.fast1(StringCtor, 'fromCharCode', (_t, x) => String.fromCharCode(typeof x === 'number' ? x : R.toNumber(x)));
  const noRegExp = (v: Value, name: string): string => {
    if (v instanceof GObj && v.cls === 'RegExp') R.typeError(`First argument to String.prototype.${name} must not be a regular expression`);
    return str(v);
  };
  R.method(SP, 'includes', 1, (t, a) => thisStr(t, 'includes').includes(noRegExp(arg(a, 0), 'includes'), R.toIntegerOrInfinity(arg(a, 1))));
  R.method(SP, 'startsWith', 1, (t, a) => thisStr(t, 'startsWith').startsWith(noRegExp(arg(a, 0), 'startsWith'), R.toIntegerOrInfinity(arg(a, 1))));
  R.method(SP, 'endsWith', 1, (t, a) => {
    const s = thisStr(t, 'endsWith');
    return s.endsWith(noRegExp(arg(a, 0), 'endsWith'), arg(a, 1) === undefined ? s.length : R.toIntegerOrInfinity(arg(a, 1)));
  });
  R.method(SP, 'repeat', 1, (t, a) => {
    const s = thisStr(t, 'repeat');
    const n = R.toIntegerOrInfinity(arg(a, 0));
    if (n < 0 || n === Infinity) R.rangeError(`Invalid count value: ${n}`);
    if (s.length * n > R.maxStringLength) R.checkString({ length: s.length * n } as string);
    R.charge((s.length * n) >> 6);
    R.chargeString(s.length * n);
    return s.repeat(n);
  });
  const pad = (start: boolean) => (t: Value, a: Value[]) => {
    const s = thisStr(t, start ? 'padStart' : 'padEnd');
    const n = R.toLength(arg(a, 0));
    if (n > R.maxStringLength) R.checkString({ length: n } as string);
    const fill = arg(a, 1) === undefined ? ' ' : str(arg(a, 1));
    R.chargeString(n - s.length);
    return start ? s.padStart(n, fill) : s.padEnd(n, fill);
  };
  R.method(SP, 'padStart', 2, pad(true));
  R.method(SP, 'padEnd', 2, pad(false));
  R.fast2(SP, 'padStart', padFast(true));
  R.fast2(SP, 'padEnd', padFast(false));
  // The RegExp-aware methods defer to the pattern's Symbol.* method, as the spec does.
  const viaSymbol = (name: string, sym: symbol, fallback: (s: string, p: Value, a: Value[]) => Value) => {
    R.method(SP, name, name === 'replace' || name === 'replaceAll' || name === 'split' ? 2 : 1, (t, a) => {
      if (t === undefined || t === null) R.typeError(`String.prototype.${name} called on null or undefined`);
      const p = arg(a, 0);
      if (p !== undefined && p !== null) {
        const m = R.getMethod(p, sym);
        if (m) {
          if (name === 'replaceAll' || name === 'matchAll') {
            const flags = R.get(p, 'flags');
            if (p instanceof GObj && p.cls === 'RegExp' && !R.toString(flags).includes('g')) R.typeError(`${name} must be called with a global RegExp`);
          }
          return R.call(m, p, [t, ...a.slice(1)]);
        }
      }
      return fallback(thisStr(t, name), p, a);
    });
  };
  const expand = (rep: string, matched: string, pos: number, s: string): string =>
    rep.replace(/\$([$&`']|\d\d?)/g, (all, c: string) => {
      if (c === '$') return '$';
      if (c === '&') return matched;
      if (c === '`') return s.slice(0, pos);
      if (c === "'") return s.slice(pos + matched.length);
      return all;
    });
  const replaceStr = (all: boolean) => (s: string, p: Value, a: Value[]): Value => {
    const pat = str(p);
    const rep = arg(a, 1);
    const positions: number[] = [];
    let i = s.indexOf(pat);
    while (i >= 0) {
      positions.push(i);
      if (!all) break;
      i = s.indexOf(pat, i + Math.max(pat.length, 1));
      if (i > s.length) break;
    }
    R.charge(positions.length);
    let out = '';
    let last = 0;
    for (const pos of positions) {
      out += s.slice(last, pos);
      out += rep instanceof GFunction ? str(R.call(rep, undefined, [pat, pos, s])) : expand(str(rep), pat, pos, s);
      last = pos + pat.length;
      if (out.length > R.maxStringLength) R.checkString(out);
    }
    return R.checkString(out + s.slice(last));
  };
  viaSymbol('replace', Symbol.replace, replaceStr(false));
  viaSymbol('replaceAll', Symbol.replace, replaceStr(true));
  viaSymbol('split', Symbol.split, (s, p, a) => {
    const lim = arg(a, 1) === undefined ? 2 ** 32 - 1 : R.toNumber(arg(a, 1)) >>> 0;
    const sep = p === undefined ? undefined : str(p);
    // The host allocates the whole result at once: charge the worst case before it does.
    if (sep === '') R.chargeHeap(Math.min(s.length, lim) * 16);
    const parts = sep === undefined ? [s] : s.split(sep, lim);
    R.charge(parts.length);
    return R.newArray(parts);
  });
  const viaRegExp = (name: string, sym: symbol, flags: string) =>
    viaSymbol(name, sym, (s, p) => {
      const re = R.construct(R.intrinsics.RegExp, [p === undefined ? '' : p, flags]);
      return R.call(R.get(re, sym), re, [s]);
    });
  viaRegExp('match', Symbol.match, '');
  viaRegExp('matchAll', Symbol.matchAll, 'g');
  viaRegExp('search', Symbol.search, '');
  R.method(SP, Symbol.iterator, 0, (t) => {
    const s = thisStr(t, '[Symbol.iterator]');
    R.chargeHeap(s.length * 16);
    const chars = R.newArray([...s]);
    return R.call(R.ArrayValues, chars, []);
  });

  installNumber(R);
  installBigInt(R);
  installMath(R);
}

function installNumber(R: Realm): void {
  const NP = new GObj(R.ObjectPrototype, 'Number');
  NP.internal = 0;
  R.NumberPrototype = NP;
  const N = R.ctor('Number', 1, NP, (_t, a, nt) => {
    let v = 0;
    if (a.length > 0) {
      const p = R.toNumeric(a[0]);
      v = typeof p === 'bigint' ? Number(p) : p;
    }
    if (nt === undefined) return v;
    const o = new GObj(R.protoFrom(nt, NP), 'Number');
    o.internal = v;
    return o;
  });
  for (const k of ['EPSILON', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'MAX_VALUE', 'MIN_VALUE', 'NaN', 'POSITIVE_INFINITY', 'NEGATIVE_INFINITY'] as const) N.put(k, Number[k], 0);
  R.method(N, 'isInteger', 1, (_t, a) => Number.isInteger(arg(a, 0)));
  R.method(N, 'isSafeInteger', 1, (_t, a) => Number.isSafeInteger(arg(a, 0)));
  R.method(N, 'isFinite', 1, (_t, a) => Number.isFinite(arg(a, 0)));
  R.method(N, 'isNaN', 1, (_t, a) => Number.isNaN(arg(a, 0)));
  const pf = R.fn('parseFloat', 1, (_t, a) => parseFloat(R.toString(arg(a, 0))));
  const pi = R.fn('parseInt', 2, (_t, a) => parseInt(R.toString(arg(a, 0)), R.toNumber(arg(a, 1))));
  N.put('parseFloat', pf);
  N.put('parseInt', pi);
  R.global.put('parseFloat', pf);
  R.global.put('parseInt', pi);
  const thisNum = (t: Value): number => {
    if (typeof t === 'number') return t;
    if (t instanceof GObj && t.cls === 'Number') return t.internal as number;
    return R.typeError('Number.prototype method called on incompatible receiver');
  };
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      rethrowIfFatal(e);
      return R.rangeError((e as Error).message);
    }
  };
  R.method(NP, 'toString', 1, (t, a) => {
    const radix = arg(a, 0) === undefined ? 10 : R.toIntegerOrInfinity(arg(a, 0));
    if (radix < 2 || radix > 36) R.rangeError('toString() radix must be between 2 and 36');
    return thisNum(t).toString(radix);
  });
  R.fast1(NP, 'toString', (t, r) => {
    const radix = r === undefined ? 10 : R.toIntegerOrInfinity(r);
    if (radix < 2 || radix > 36) R.rangeError('toString() radix must be between 2 and 36');
    return thisNum(t).toString(radix);
  });
  R.method(NP, 'toLocaleString', 0, (t) => thisNum(t).toLocaleString('en-US'));
  R.method(NP, 'valueOf', 0, (t) => thisNum(t));
  R.method(NP, 'toFixed', 1, (t, a) => guard(() => thisNum(t).toFixed(R.toIntegerOrInfinity(arg(a, 0)))));
  R.method(NP, 'toPrecision', 1, (t, a) => guard(() => thisNum(t).toPrecision(arg(a, 0) === undefined ? undefined : R.toIntegerOrInfinity(arg(a, 0)))));
  R.method(NP, 'toExponential', 1, (t, a) => guard(() => thisNum(t).toExponential(arg(a, 0) === undefined ? undefined : R.toIntegerOrInfinity(arg(a, 0)))));
}

function installBigInt(R: Realm): void {
  const BP = new GObj(R.ObjectPrototype);
  R.BigIntPrototype = BP;
  const B = R.ctor('BigInt', 1, BP, (_t, a, nt) => {
    if (nt !== undefined) R.typeError('BigInt is not a constructor');
    const p = R.toPrimitive(arg(a, 0), 'number');
    try {
      if (typeof p === 'number' && !Number.isInteger(p)) R.rangeError(`The number ${p} cannot be converted to a BigInt because it is not an integer`);
      return BigInt(p as string | number | bigint | boolean);
    } catch (e) {
      rethrowIfFatal(e);
      if (e instanceof SyntaxError) R.throwError('SyntaxError', e.message);
      if (e instanceof TypeError) R.typeError(e.message);
      throw e;
    }
  });
  const big = (v: Value): bigint => {
    const p = R.toPrimitive(v, 'number');
    if (typeof p === 'bigint') return p;
    if (typeof p === 'boolean') return BigInt(p);
    if (typeof p === 'string') {
      try {
        return BigInt(p);
      } catch {
        R.throwError('SyntaxError', `Cannot convert ${p} to a BigInt`);
      }
    }
    return R.typeError(`Cannot convert ${String(p)} to a BigInt`);
  };
  // The result has up to `bits` bits: charged to the heap before the host builds it.
  const asN = (f: (bits: number, v: bigint) => bigint) => (_t: Value, a: Value[]) => {
    const bits = R.toIntegerOrInfinity(arg(a, 0));
    const v = big(arg(a, 1));
    if (bits > 64) R.chargeHeap(Math.ceil(bits / 8));
    return f(bits, v);
  };
  R.method(B, 'asIntN', 2, asN(BigInt.asIntN));
  R.method(B, 'asUintN', 2, asN(BigInt.asUintN));
  const thisBig = (t: Value): bigint => {
    if (typeof t === 'bigint') return t;
    if (t instanceof GObj && t.cls === 'BigInt') return t.internal as bigint;
    return R.typeError('BigInt.prototype method called on incompatible receiver');
  };
  R.method(BP, 'toString', 0, (t, a) => {
    try {
      return thisBig(t).toString(arg(a, 0) === undefined ? 10 : R.toIntegerOrInfinity(arg(a, 0)));
    } catch (e) {
      rethrowIfFatal(e);
      return R.rangeError((e as Error).message);
    }
  });
  R.method(BP, 'toLocaleString', 0, (t) => thisBig(t).toLocaleString('en-US'));
  R.method(BP, 'valueOf', 0, (t) => thisBig(t));
  BP.put(Symbol.toStringTag, 'BigInt', CONFIGURABLE);
}

function installMath(R: Realm): void {
  const M = new GObj(R.ObjectPrototype);
  R.global.put('Math', M);
  M.put(Symbol.toStringTag, 'Math', CONFIGURABLE);
  for (const k of ['E', 'LN10', 'LN2', 'LOG10E', 'LOG2E', 'PI', 'SQRT1_2', 'SQRT2'] as const) M.put(k, Math[k], 0);
  const unary = ['abs', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cbrt', 'ceil', 'clz32', 'cos', 'cosh', 'exp', 'expm1', 'floor', 'fround', 'log', 'log10', 'log1p', 'log2', 'round', 'sign', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'trunc'] as const;
  for (const k of unary) {
    const f = Math[k] as (x: number) => number;
    R.method(M, k, 1, (_t, a) => {
      const x = a[0];
      return f(typeof x === 'number' ? x : R.toNumber(x));
    });
    R.fast1(M, k, (_t, x) => f(typeof x === 'number' ? x : R.toNumber(x)));
  }
  R.method(M, 'atan2', 2, (_t, a) => Math.atan2(R.toNumber(arg(a, 0)), R.toNumber(arg(a, 1))));
  R.method(M, 'pow', 2, (_t, a) => Math.pow(R.toNumber(arg(a, 0)), R.toNumber(arg(a, 1))));
  R.method(M, 'imul', 2, (_t, a) => Math.imul(R.toNumber(arg(a, 0)), R.toNumber(arg(a, 1))));
  R.method(M, 'max', 2, (_t, a) => Math.max(...a.map((x) => (typeof x === 'number' ? x : R.toNumber(x)))));
  R.method(M, 'min', 2, (_t, a) => Math.min(...a.map((x) => (typeof x === 'number' ? x : R.toNumber(x)))));
  R.method(M, 'hypot', 2, (_t, a) => Math.hypot(...a.map((x) => R.toNumber(x))));
  // Deterministic: each call site has its own sequence seeded from its file and position, so the
  // same source gives the same table on every build and unrelated edits elsewhere do not shift it.
  R.method(M, 'random', 0, () => {
    const site = R.site;
    const key = site ? `${site.src.fileName}:${site.pos}` : '';
    let s = R.randomState.get(key);
    if (s === undefined) {
      s = 0x9e3779b9;
      for (let i = 0; i < key.length; i++) s = Math.imul(s ^ key.charCodeAt(i), 0x85ebca6b) >>> 0;
    }
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    R.randomState.set(key, s);
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  });
}
