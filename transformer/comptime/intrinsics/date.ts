// Date with explicit arguments only. The current time is refused (the build would differ on every
// run), and the guest's local time zone is UTC so results do not depend on the build machine.

import { EvalFailure, type Realm } from '../realm.js';
import { GObj, type Value } from '../values.js';
import { arg } from './base.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function nonDeterministic(what: string): never {
  throw new EvalFailure(`comptime: call to non-deterministic ${what}; build-time evaluation must give the same result on every build, so pass an explicit time (e.g. new Date(Date.UTC(2024, 0, 1)))`);
}

/** Parses as the host does, but reads strings without a zone as UTC instead of the host's zone. */
function parseUTC(s: string): number {
  const p = Date.parse(s);
  if (Number.isNaN(p)) return p;
  const explicitZone = /(Z|[+-]\d\d:?\d\d|GMT|UTC)\s*(\(.*\))?$/i.test(s.trim()) || /^\d{4}(-\d\d(-\d\d)?)?$/.test(s.trim());
  return explicitZone ? p : p - new Date(p).getTimezoneOffset() * 60000;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function installDate(R: Realm): void {
  const DP = new GObj(R.ObjectPrototype);
  const tv = (t: Value): number => {
    if (!(t instanceof GObj) || t.cls !== 'Date') R.typeError('this is not a Date object.');
    return t.internal as number;
  };
  const timeClip = (n: number) => (Number.isFinite(n) && Math.abs(n) <= 8.64e15 ? Math.trunc(n) + 0 : NaN);
  const fromParts = (a: Value[]): number => {
    const n = a.map((x) => R.toNumber(x));
    const y = n[0]!;
    const yr = Number.isInteger(y) && y >= 0 && y <= 99 ? 1900 + y : y;
    return Date.UTC(yr, n[1] ?? 0, n[2] ?? 1, n[3] ?? 0, n[4] ?? 0, n[5] ?? 0, n[6] ?? 0);
  };
  const DateCtor = R.ctor('Date', 7, DP, (_t, a, nt) => {
    if (nt === undefined) nonDeterministic('Date() (it formats the current time)');
    let t: number;
    if (a.length === 0) nonDeterministic('new Date() (it reads the current time)');
    else if (a.length === 1) {
      const v = a[0];
      if (v instanceof GObj && v.cls === 'Date') t = v.internal as number;
      else {
        const p = R.toPrimitive(v);
        t = typeof p === 'string' ? parseUTC(p) : R.toNumber(p);
      }
    } else t = fromParts(a);
    const d = new GObj(R.protoFrom(nt, DP), 'Date');
    d.internal = timeClip(t);
    return d;
  });
  R.method(DateCtor, 'now', 0, () => nonDeterministic('Date.now()'));
  R.method(DateCtor, 'parse', 1, (_t, a) => parseUTC(R.toString(arg(a, 0))));
  R.method(DateCtor, 'UTC', 7, (_t, a) => timeClip(fromParts(a.length ? a : [NaN])));

  const get = (name: string, f: (d: Date) => number) => R.method(DP, name, 0, (t) => {
    const v = tv(t);
    return Number.isNaN(v) ? NaN : f(new Date(v));
  });
  const fields: [string, (d: Date) => number][] = [
    ['FullYear', (d) => d.getUTCFullYear()],
    ['Month', (d) => d.getUTCMonth()],
    ['Date', (d) => d.getUTCDate()],
    ['Day', (d) => d.getUTCDay()],
    ['Hours', (d) => d.getUTCHours()],
    ['Minutes', (d) => d.getUTCMinutes()],
    ['Seconds', (d) => d.getUTCSeconds()],
    ['Milliseconds', (d) => d.getUTCMilliseconds()],
  ];
  for (const [n, f] of fields) {
    get(`get${n}`, f);
    get(`getUTC${n}`, f);
  }
  get('getTime', (d) => d.getTime());
  get('valueOf', (d) => d.getTime());
  get('getTimezoneOffset', () => 0);
  const setters: [string, number, (d: Date, n: number[]) => number][] = [
    ['FullYear', 3, (d, n) => d.setUTCFullYear(n[0]!, n[1] ?? d.getUTCMonth(), n[2] ?? d.getUTCDate())],
    ['Month', 2, (d, n) => d.setUTCMonth(n[0]!, n[1] ?? d.getUTCDate())],
    ['Date', 1, (d, n) => d.setUTCDate(n[0]!)],
    ['Hours', 4, (d, n) => d.setUTCHours(n[0]!, n[1] ?? d.getUTCMinutes(), n[2] ?? d.getUTCSeconds(), n[3] ?? d.getUTCMilliseconds())],
    ['Minutes', 3, (d, n) => d.setUTCMinutes(n[0]!, n[1] ?? d.getUTCSeconds(), n[2] ?? d.getUTCMilliseconds())],
    ['Seconds', 2, (d, n) => d.setUTCSeconds(n[0]!, n[1] ?? d.getUTCMilliseconds())],
    ['Milliseconds', 1, (d, n) => d.setUTCMilliseconds(n[0]!)],
  ];
  for (const [n, len, f] of setters) {
    const impl = (t: Value, a: Value[]) => {
      const v = tv(t);
      const nums = a.slice(0, len).map((x) => R.toNumber(x));
      const d = new Date(Number.isNaN(v) && n === 'FullYear' ? 0 : v);
      const r = timeClip(f(d, nums.length ? nums : [NaN]));
      (t as GObj).internal = r;
      return r;
    };
    R.method(DP, `set${n}`, len, impl);
    R.method(DP, `setUTC${n}`, len, impl);
  }
  R.method(DP, 'setTime', 1, (t, a) => {
    tv(t);
    const r = timeClip(R.toNumber(arg(a, 0)));
    (t as GObj).internal = r;
    return r;
  });
  const fmt = (name: string, f: (d: Date) => string) =>
    R.method(DP, name, 0, (t) => {
      const v = tv(t);
      if (Number.isNaN(v)) {
        if (name === 'toISOString') R.rangeError('Invalid time value');
        return 'Invalid Date';
      }
      return f(new Date(v));
    });
  const dateStr = (d: Date) => `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()}`;
  const timeStr = (d: Date) => `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT+0000 (Coordinated Universal Time)`;
  fmt('toISOString', (d) => d.toISOString());
  fmt('toUTCString', (d) => d.toUTCString());
  fmt('toGMTString', (d) => d.toUTCString());
  fmt('toString', (d) => `${dateStr(d)} ${timeStr(d)}`);
  fmt('toDateString', dateStr);
  fmt('toTimeString', timeStr);
  fmt('toLocaleString', (d) => d.toLocaleString('en-US', { timeZone: 'UTC' }));
  fmt('toLocaleDateString', (d) => d.toLocaleDateString('en-US', { timeZone: 'UTC' }));
  fmt('toLocaleTimeString', (d) => d.toLocaleTimeString('en-US', { timeZone: 'UTC' }));
  R.method(DP, 'toJSON', 1, (t) => {
    const tvv = R.toPrimitive(t, 'number');
    if (typeof tvv === 'number' && !Number.isFinite(tvv)) return null;
    return R.call(R.get(t, 'toISOString'), t, []);
  });
  R.method(DP, Symbol.toPrimitive, 1, (t, a) => {
    if (!(t instanceof GObj)) R.typeError('Date.prototype[Symbol.toPrimitive] called on non-object');
    const hint = arg(a, 0);
    const order = hint === 'number' ? ['valueOf', 'toString'] : ['toString', 'valueOf'];
    for (const m of order) {
      const f = t.get(m, t);
      if (f instanceof GObj) {
        const r = R.call(f, t, []);
        if (!(r instanceof GObj)) return r;
      }
    }
    return R.typeError('Cannot convert object to primitive value');
  });
}
