// RegExp. Matching runs on host regular expressions (strings in, plain data out) through the
// backtracking guard; the guest sees only guest arrays and strings built from the results.

import { LimitExceeded } from '../limits.js';
import { EvalFailure, rethrowIfFatal, type Realm } from '../realm.js';
import { MatcherFailed, RegexTimeout, runRegex, type ExecResult, type RegexOp, type RegexResult } from '../regex-guard.js';
import { CONFIGURABLE, GFunction, GObj, WRITABLE, type Value } from '../values.js';
import { arg } from './base.js';

interface ReState {
  source: string;
  flags: string;
}

export function installRegExp(R: Realm): void {
  const RP = new GObj(R.ObjectPrototype);
  const guard = (op: RegexOp): RegexResult => {
    // Matching costs roughly the characters scanned: exec is charged for the span it covered
    // (below); split and replace scan everything.
    R.charge(1 + (op.op === 'exec' ? 0 : op.input.length >> 6));
    try {
      return runRegex(op, R.regexMs);
    } catch (e) {
      rethrowIfFatal(e);
      if (e instanceof RegexTimeout) throw new LimitExceeded('regexMs', R.regexMs, `pattern /${op.source.length > 80 ? `${op.source.slice(0, 80)}…` : op.source}/${op.flags} on a ${op.input.length}-character input`);
      if (e instanceof SyntaxError) R.throwError('SyntaxError', e.message);
      if (e instanceof MatcherFailed) throw new EvalFailure(`comptime: ${e.message}; patterns that may backtrack badly run there under the regexMs limit`);
      throw e;
    }
  };
  const state = (t: Value, name: string): ReState => {
    if (!(t instanceof GObj) || t.cls !== 'RegExp') R.typeError(`RegExp.prototype.${name} requires that 'this' be a RegExp object`);
    return t.internal as ReState;
  };

  const RegExpCtor = R.ctor('RegExp', 2, RP, (_t, a, nt) => {
    let p = arg(a, 0);
    let f = arg(a, 1);
    if (p instanceof GObj && p.cls === 'RegExp') {
      const st = p.internal as ReState;
      if (nt === undefined && f === undefined) return p;
      p = st.source;
      if (f === undefined) f = st.flags;
    }
    const source = p === undefined ? '(?:)' : R.toString(p) || '(?:)';
    const flags = f === undefined ? '' : R.toString(f);
    try {
      const host = new RegExp(source, flags);
      const o = new GObj(R.protoFrom(nt, RP), 'RegExp');
      o.internal = { source: host.source, flags: host.flags } satisfies ReState;
      o.put('lastIndex', 0, WRITABLE);
      return o;
    } catch (e) {
      rethrowIfFatal(e);
      return R.throwError('SyntaxError', (e as Error).message);
    }
  });
  R.getter(RegExpCtor, Symbol.species, (t) => t);
  R.getter(RP, 'source', (t) => (t === RP ? '(?:)' : state(t, 'source').source));
  R.getter(RP, 'flags', (t) => (t === RP ? '' : state(t, 'flags').flags));
  for (const [name, ch] of [
    ['global', 'g'],
    ['ignoreCase', 'i'],
    ['multiline', 'm'],
    ['dotAll', 's'],
    ['unicode', 'u'],
    ['unicodeSets', 'v'],
    ['sticky', 'y'],
    ['hasIndices', 'd'],
  ] as const) {
    R.getter(RP, name, (t) => (t === RP ? undefined : state(t, name).flags.includes(ch)));
  }
  R.method(RP, 'toString', 0, (t) => `/${R.toString(R.get(t, 'source'))}/${R.toString(R.get(t, 'flags'))}`);

  const builtinExec = (t: GObj, s: string): Value => {
    const st = state(t, 'exec');
    const global = st.flags.includes('g') || st.flags.includes('y');
    const li = global ? R.toLength(t.get('lastIndex', t)) : 0;
    if (li > s.length) {
      R.set(t, 'lastIndex', 0);
      return null;
    }
    const r = guard({ op: 'exec', source: st.source, flags: st.flags, input: s, lastIndex: li }) as ExecResult;
    R.charge(((r.matched === null ? s.length : r.index + (r.matched[0]?.length ?? 0)) - li) >> 6);
    if (r.matched === null) {
      if (global) R.set(t, 'lastIndex', 0);
      return null;
    }
    if (global) R.set(t, 'lastIndex', r.lastIndex);
    const arr = R.newArray(r.matched.map((x) => x));
    R.defineData(arr, 'index', r.index);
    R.defineData(arr, 'input', s);
    let groups: Value = undefined;
    if (r.groups) {
      const g = new GObj(null);
      for (const [k, v] of Object.entries(r.groups)) R.defineData(g, k, v);
      groups = g;
    }
    R.defineData(arr, 'groups', groups);
    if (r.indices) R.defineData(arr, 'indices', R.newArray(r.indices.map((x) => (x ? R.newArray([x[0], x[1]]) : undefined))));
    return arr;
  };
  const execFn = R.method(RP, 'exec', 1, (t, a) => {
    state(t, 'exec');
    return builtinExec(t as GObj, R.toString(arg(a, 0)));
  });
  /** RegExpExec: honours a user-defined exec, as the spec's string methods do. */
  const regExpExec = (t: GObj, s: string): Value => {
    const exec = t.get('exec', t);
    if (exec instanceof GFunction && exec !== execFn) {
      const r = R.call(exec, t, [s]);
      if (r !== null && !(r instanceof GObj)) R.typeError('exec result must be an object or null');
      return r;
    }
    return builtinExec(t, s);
  };
  const asObj = (t: Value, name: string): GObj => (t instanceof GObj ? t : R.typeError(`RegExp.prototype.${name} called on a non-object`));
  R.method(RP, 'test', 1, (t, a) => regExpExec(asObj(t, 'test'), R.toString(arg(a, 0))) !== null);
  R.method(RP, 'compile', 2, () => R.typeError('RegExp.prototype.compile is not supported during build-time evaluation'));

  R.method(RP, Symbol.match, 1, (t, a) => {
    const re = asObj(t, '[Symbol.match]');
    const s = R.toString(arg(a, 0));
    const flags = R.toString(re.get('flags', re));
    if (!flags.includes('g')) return regExpExec(re, s);
    R.set(re, 'lastIndex', 0);
    const out: Value[] = [];
    for (;;) {
      const m = regExpExec(re, s);
      if (m === null) return out.length ? R.newArray(out) : null;
      const str = R.toString(R.get(m, 0));
      out.push(str);
      R.charge(1);
      if (str === '') R.set(re, 'lastIndex', R.toLength(R.get(re, 'lastIndex')) + 1);
    }
  });
  R.method(RP, Symbol.search, 1, (t, a) => {
    const re = asObj(t, '[Symbol.search]');
    const s = R.toString(arg(a, 0));
    const prev = re.get('lastIndex', re);
    R.set(re, 'lastIndex', 0);
    const m = regExpExec(re, s);
    R.set(re, 'lastIndex', prev);
    return m === null ? -1 : R.get(m, 'index');
  });
  R.method(RP, Symbol.split, 2, (t, a) => {
    const re = asObj(t, '[Symbol.split]');
    const st = state(re, '[Symbol.split]');
    const s = R.toString(arg(a, 0));
    const lim = arg(a, 1) === undefined ? 2 ** 32 - 1 : R.toNumber(arg(a, 1)) >>> 0;
    const parts = guard({ op: 'split', source: st.source, flags: st.flags, input: s, limit: lim }) as string[];
    R.charge(parts.length);
    return R.newArray(parts);
  });
  R.method(RP, Symbol.replace, 2, (t, a) => {
    const re = asObj(t, '[Symbol.replace]');
    const s = R.toString(arg(a, 0));
    let rep = arg(a, 1);
    const st = state(re, '[Symbol.replace]');
    if (!(rep instanceof GFunction)) {
      rep = R.toString(rep);
      if (re.get('exec', re) === execFn) {
        const out = guard({ op: 'replace', source: st.source, flags: st.flags, input: s, replacement: rep }) as string;
        if (st.flags.includes('g') || st.flags.includes('y')) R.set(re, 'lastIndex', 0);
        return R.checkString(out);
      }
    }
    const global = st.flags.includes('g');
    if (global) R.set(re, 'lastIndex', 0);
    const matches: GObj[] = [];
    for (;;) {
      const m = regExpExec(re, s);
      if (m === null) break;
      matches.push(m as GObj);
      R.charge(1);
      if (!global) break;
      if (R.toString(R.get(m, 0)) === '') R.set(re, 'lastIndex', R.toLength(R.get(re, 'lastIndex')) + 1);
    }
    let out = '';
    let next = 0;
    for (const m of matches) {
      const matched = R.toString(R.get(m, 0));
      const pos = Math.max(0, Math.min(R.toIntegerOrInfinity(R.get(m, 'index')), s.length));
      const n = R.toLength(R.get(m, 'length'));
      const caps: Value[] = [];
      for (let i = 1; i < n; i++) {
        const c = R.get(m, i);
        caps.push(c === undefined ? undefined : R.toString(c));
      }
      const groups = R.get(m, 'groups');
      let replacement: string;
      if (rep instanceof GFunction) {
        const args: Value[] = [matched, ...caps, pos, s];
        if (groups !== undefined) args.push(groups);
        replacement = R.toString(R.call(rep, undefined, args));
      } else replacement = substitution(R, rep as string, matched, pos, s, caps, groups);
      if (pos >= next) {
        out += s.slice(next, pos) + replacement;
        next = pos + matched.length;
      }
      if (out.length > R.maxStringLength) R.checkString(out);
    }
    return R.checkString(out + s.slice(next));
  });
  const RSIP = new GObj(R.IteratorPrototype);
  RSIP.put(Symbol.toStringTag, 'RegExp String Iterator', CONFIGURABLE);
  R.method(RSIP, 'next', 0, (t) => {
    if (!(t instanceof GObj) || t.cls !== 'RegExpStringIterator') R.typeError('next called on incompatible receiver');
    const st = t.internal as { re: GObj; s: string; done: boolean; global: boolean };
    if (st.done) return R.iterResult(undefined, true);
    const m = regExpExec(st.re, st.s);
    if (m === null) {
      st.done = true;
      return R.iterResult(undefined, true);
    }
    if (!st.global) st.done = true;
    else if (R.toString(R.get(m, 0)) === '') R.set(st.re, 'lastIndex', R.toLength(R.get(st.re, 'lastIndex')) + 1);
    return R.iterResult(m, false);
  });
  R.method(RP, Symbol.matchAll, 1, (t, a) => {
    const re = asObj(t, '[Symbol.matchAll]');
    const s = R.toString(arg(a, 0));
    const flags = R.toString(re.get('flags', re));
    const clone = R.construct(RegExpCtor, [re, flags]) as GObj;
    R.set(clone, 'lastIndex', R.toLength(re.get('lastIndex', re)));
    const it = new GObj(RSIP, 'RegExpStringIterator');
    it.internal = { re: clone, s, done: false, global: flags.includes('g') };
    return it;
  });
}

function substitution(R: Realm, rep: string, matched: string, pos: number, s: string, caps: Value[], groups: Value): string {
  return rep.replace(/\$([$&`']|\d\d?|<[^>]*>)/g, (all, c: string) => {
    if (c === '$') return '$';
    if (c === '&') return matched;
    if (c === '`') return s.slice(0, pos);
    if (c === "'") return s.slice(pos + matched.length);
    if (c[0] === '<') {
      if (groups === undefined) return all;
      const v = R.get(groups, c.slice(1, -1));
      return v === undefined ? '' : R.toString(v);
    }
    let n = Number(c);
    if (c.length === 2 && (n < 1 || n > caps.length)) {
      n = Number(c[0]);
      if (n >= 1 && n <= caps.length) return (caps[n - 1] === undefined ? '' : (caps[n - 1] as string)) + c[1];
      return all;
    }
    if (n < 1 || n > caps.length) return all;
    return caps[n - 1] === undefined ? '' : (caps[n - 1] as string);
  });
}
