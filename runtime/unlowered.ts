// The run-time guard for builds that skipped corosplit. A `function*` declared to return a Task, a
// Lazy or a user promise type is only a coroutine once lowered; unlowered it returns a generator
// object, which would otherwise fail later with a message about awaiters. Every place that takes a
// task or an awaiter asks this first when what it got is not one.

/** Whether `x` is a generator object (native, or a plain lowered generator): never a task. */
export function isGeneratorObject(x: unknown): boolean {
  return x !== null && typeof x === 'object' && typeof (x as { next?: unknown }).next === 'function' && Object.prototype.toString.call(x) === '[object Generator]';
}

/** The message for a generator object where a coroutine of a promise type was expected. */
export function unloweredCoroutineMessage(where: string, expected: string): string {
  return (
    `${where}: got a generator object where ${expected} was expected. The function* that returned it declares a promise-type ` +
    `return type (Task, Lazy or your own) but was not lowered by corosplit, so it ran as a plain generator. Build it with ` +
    `corosplit: 'corosplit build', a bundler plugin (corosplit/vite, corosplit/rollup, corosplit/esbuild, corosplit/webpack, ...), ` +
    `'node --import corosplit/register', or the ts-patch plugin on TypeScript 5/6. TypeScript 7's tsc ignores ` +
    `compilerOptions.plugins, and a single-file transform without a type checker cannot see promise types.`
  );
}
