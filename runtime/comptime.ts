// comptime(): evaluated at build time by the corosplit transformer, which replaces each call with
// a literal of its result. Reaching this function at run time means the transformer did not run.

/** Per-call limits of build-time evaluation (all optional; defaults are generous but finite). */
export interface ComptimeOptions {
  /** Loop iterations + function calls + per-element work inside built-ins. */
  steps?: number;
  /** Guest call depth. */
  depth?: number;
  /** Estimated bytes allocated by the evaluation. */
  heapBytes?: number;
  /** Wall-clock budget of one regular-expression operation, in milliseconds. */
  regexMs?: number;
}

/**
 * Evaluates `fn` at build time and inlines its result (a promise result is awaited), e.g.
 * `export const table = comptime(() => [...take(fib(), 20)]);`
 */
export function comptime<T>(fn: () => T, options?: ComptimeOptions): Awaited<T> {
  void fn;
  void options;
  throw new Error(
    'comptime() reached run time: this build did not run the corosplit transformer, so the call was not replaced by its value. ' +
      'Enable it by adding { "transform": "corosplit/transformer" } to compilerOptions.plugins in tsconfig.json and building with ts-patch (tspc), ' +
      'or by passing the transformer to your bundler\'s TypeScript loader.',
  );
}
