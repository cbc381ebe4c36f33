// Resource limits of one build-time evaluation. Every limit is finite so that a runaway comptime()
// ends in a diagnostic instead of a hung or crashed build; the defaults are set well above what
// table-building code needs so nobody hits them by accident.

export interface ComptimeLimits {
  /** Loop iterations + function calls + per-element work inside built-ins. */
  steps: number;
  /** Guest call depth. */
  depth: number;
  /** Estimated bytes allocated by guest objects, array storage and the longest string. */
  heapBytes: number;
  /** Wall-clock budget of one regular-expression operation, in milliseconds. */
  regexMs: number;
}

export const DEFAULT_LIMITS: Readonly<ComptimeLimits> = Object.freeze({
  steps: 50_000_000,
  depth: 512,
  heapBytes: 256 * 1024 * 1024,
  regexMs: 1_000,
});

export type LimitName = keyof ComptimeLimits;

const HOW_TO_RAISE: Record<LimitName, string> = {
  steps: 'raise it with comptime(fn, { steps: N }) or the plugin option "comptime": { "limits": { "steps": N } }',
  depth: 'raise it with comptime(fn, { depth: N }) or the plugin option "comptime": { "limits": { "depth": N } }',
  heapBytes: 'raise it with comptime(fn, { heapBytes: N }) or the plugin option "comptime": { "limits": { "heapBytes": N } }',
  regexMs: 'raise it with comptime(fn, { regexMs: N }) or the plugin option "comptime": { "limits": { "regexMs": N } }, or rewrite the pattern without nested quantifiers',
};

/** Fatal: never catchable by guest try/catch, never runs guest finally blocks. */
export class LimitExceeded {
  constructor(
    readonly limit: LimitName,
    readonly value: number,
    readonly detail = '',
  ) {}
  get message(): string {
    const what = {
      steps: `evaluation exceeded the step limit of ${this.value} steps`,
      depth: `evaluation exceeded the call depth limit of ${this.value}`,
      heapBytes: `evaluation exceeded the heap limit of ${this.value} bytes`,
      regexMs: `a regular expression ran longer than the limit of ${this.value} ms`,
    }[this.limit];
    return `comptime: ${what}${this.detail ? ` (${this.detail})` : ''}; ${HOW_TO_RAISE[this.limit]}`;
  }
}

export function resolveLimits(...layers: (Partial<ComptimeLimits> | undefined)[]): ComptimeLimits {
  const out: ComptimeLimits = { ...DEFAULT_LIMITS };
  for (const l of layers) {
    if (!l) continue;
    for (const k of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
      const v = l[k];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new TypeError(`comptime: limit "${k}" must be a finite positive number, got ${String(v)}`);
      out[k] = Math.floor(v);
    }
  }
  return out;
}
