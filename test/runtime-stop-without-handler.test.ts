// A coroutine whose promise type has no unhandledStopped() awaits a task that completes as stopped
// (issue 14, item 4). It cannot stop too, so the stop becomes a StoppedError thrown at its await,
// once: the child's finally blocks run once, and the parent can catch the error.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled } from './helpers/program.js';

const source = `
import { StoppedError, promiseType, stopCoroutine, suspendNever, type Awaitable, type Awaiter, type CoroutineHandle, type Task } from 'corosplit/runtime';

export class PlainPromise {
  result: unknown = undefined;
  error: unknown = undefined;
  done = false;
  constructor(..._args: unknown[]) {}
  getReturnObject(): Plain { return { promise: this } as unknown as Plain; }
  initialSuspend(): Awaiter<void> { return suspendNever; }
  finalSuspend(): Awaiter<void> { return suspendNever; }
  returnValue(v: unknown): void { this.result = v; this.done = true; }
  unhandledException(e: unknown): void { this.error = e; this.done = true; }
}
export interface Plain {
  readonly [promiseType]?: PlainPromise;
  [Symbol.iterator](): Iterator<unknown, unknown, any>;
}

export const log: string[] = [];
/** Completes the awaiting coroutine as stopped, the way a cancelled operation does. */
const stopsMe = {
  awaitReady: () => false,
  awaitSuspend(h: CoroutineHandle<any>): void { stopCoroutine(h); },
  awaitResume(): void { log.push('stopsMe resumed?!'); },
} as unknown as Awaitable<void>;
export function* child(): Task<number> {
  try {
    yield* stopsMe;
    return 1;
  } finally {
    log.push('child finally');
  }
}
export function* parent(): Plain {
  try {
    const v = yield* child();
    log.push('parent got ' + v);
    return v;
  } catch (e) {
    log.push('parent caught ' + (e as Error).name + ': ' + (e as Error).message);
    return 'recovered';
  }
}
export { StoppedError };
`;

describe('a stopped task awaited by a promise type without unhandledStopped()', () => {
  let m: any;
  beforeAll(async () => {
    const c = compile({ 'main.ts': source });
    expect(c.typeErrors).toEqual([]);
    m = await runCompiled(c);
  });

  it("throws StoppedError at the parent's await; the child's finally runs once; the parent catches it", () => {
    const ro = m.parent();
    expect(m.log).toEqual(['child finally', "parent caught StoppedError: task 'child' completed as stopped, and its awaiter's promise type has no unhandledStopped(), so it cannot stop too"]);
    expect(ro.promise.done).toBe(true);
    expect(ro.promise.result).toBe('recovered');
  });
});
