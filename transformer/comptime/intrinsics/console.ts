// console: output is not I/O at build time but is collected, so the transformer can show it
// next to the build's diagnostics. Formatting never runs guest code (no toString calls).

import type { Realm } from '../realm.js';
import { GArray, GFunction, GObj, HOLE, type Value } from '../values.js';

const MAX_LINES = 1000;
/** What one logged string, one line and all the output together may hold: the host keeps them. */
const MAX_STRING = 1000;
const MAX_LINE = 10_000;
const MAX_TOTAL = 1 << 20;

/** A long string, cut before it is copied or quoted. */
function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length} characters)`;
}

function show(R: Realm, v: Value, depth: number): string {
  if (typeof v === 'string') return depth === 0 ? clip(v, MAX_STRING) : JSON.stringify(clip(v, MAX_STRING));
  if (!(v instanceof GObj)) return R.describe(v);
  if (v instanceof GFunction) return `[Function: ${v.displayName() || '(anonymous)'}]`;
  if (depth > 2) return v instanceof GArray ? '[Array]' : '[Object]';
  if (v instanceof GArray && v.cls === 'Array') {
    const items = v.items.slice(0, 50).map((x) => (x === HOLE ? '<empty>' : show(R, x as Value, depth + 1)));
    if (v.items.length > 50) items.push(`... ${v.items.length - 50} more`);
    return `[ ${items.join(', ')} ]`;
  }
  if (v.cls === 'Error') return `${show(R, v.getOwn('stack')?.v ?? v.get('message', v), 0)}`;
  if (v.cls === 'Map') return `Map(${(v.internal as Map<Value, Value>).size})`;
  if (v.cls === 'Set') return `Set(${(v.internal as Set<Value>).size})`;
  const parts: string[] = [];
  for (const k of v.ownKeys().slice(0, 30)) {
    const s = v.getOwn(k)!;
    parts.push(`${typeof k === 'symbol' ? `[${k.toString()}]` : k}: ${s.g || s.s ? '[Getter/Setter]' : show(R, s.v, depth + 1)}`);
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

export function installConsole(R: Realm): void {
  let logged = 0;
  let dropped = false;
  const c = new GObj(R.ObjectPrototype);
  R.global.put('console', c);
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    R.method(c, level, 0, (_t, a) => {
      if (R.logs.length < MAX_LINES && logged < MAX_TOTAL) {
        const line = clip(`${level === 'log' || level === 'info' || level === 'debug' ? '' : `${level}: `}${a.slice(0, 100).map((x) => show(R, x, 0)).join(' ')}`, MAX_LINE);
        logged += line.length;
        R.logs.push(line);
      } else if (!dropped) {
        dropped = true;
        R.logs.push(`(further console output dropped)`);
      }
      return undefined;
    });
  }
}
