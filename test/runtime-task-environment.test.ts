// Task<T, P>: P3552's task<T, Environment>, with the Environment as a promise class derived from
// TaskPromise. Through the transformer, checked against the wording's rules: the environment is
// made from the one the task starts in (an awaiting task's, a connected receiver's, syncWait's),
// the task's own scheduler, stop token and allocator win over it, a query the Environment does not
// answer is not forwarded, and the Environment's allocator type decides which call-site
// allocators convert. Each check fails if receiveEnv is not called, or is called after the body
// started (depth would read undefined), or if a task with an Environment were elided.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled, type Compiled } from './helpers/program.js';

const SOURCE = `
import { TaskPromise, LazyPromise, BoundedAllocator, PoolAllocator, allocatorArg, connect, defineQuery, envWith, readEnv, getScheduler, syncWait, type AllocatorArg, type FrameAllocator, type Env, type Task, type Lazy } from 'corosplit/runtime';

export const depth = defineQuery<number>('depth');
export const tag = defineQuery<string>('tag');

/** One level below whatever environment the task starts in. */
export class Nested<T = any> extends TaskPromise<T> {
  level = 0;
  receiveEnv(env: Env): void { this.level = (depth(env) ?? 0) + 1; }
  getEnv(): Env { return envWith(undefined, [depth, this.level]); }
}
/** Answers a tag and a depth of 10 of its own. */
export class Tagged<T = any> extends TaskPromise<T> {
  getEnv(): Env { return envWith(undefined, [tag, 'outer'], [depth, 10]); }
}
export class LazyNested<T = any> extends LazyPromise<T> {
  level = 0;
  receiveEnv(env: Env): void { this.level = (depth(env) ?? 0) + 1; }
  getEnv(): Env { return envWith(undefined, [depth, this.level]); }
}
/** An Environment whose allocator_type is BoundedAllocator. */
export class Bounded<T = any> extends TaskPromise<T> {
  static allocatorType: Function | 'any' = BoundedAllocator;
}

function* leaf(): Task<number[], Nested> {
  return [(yield* readEnv(depth))!];
}
function* mid(): Task<number[], Nested> {
  const d = (yield* readEnv(depth))!;
  return [d, ...(yield* leaf())];
}
// A query the Environment does not answer is not forwarded from the task awaiting it.
function* untagged(): Task<string | undefined, Nested> {
  return yield* readEnv(tag);
}
function* outer(): Task<[number[], string | undefined, string | undefined, boolean], Tagged> {
  const own = yield* readEnv(getScheduler);
  const inner = yield* mid();
  return [inner, yield* readEnv(tag), yield* untagged(), yield* sameScheduler(own)];
}
// The task's own scheduler wins over anything its Environment could say.
function* sameScheduler(s: unknown): Task<boolean, Nested> {
  return (yield* readEnv(getScheduler)) === s;
}
/** An Environment that cannot be made: the task never runs and its frame goes back. */
export class Refusing<T = any> extends TaskPromise<T> {
  receiveEnv(): void { throw new Error('no environment'); }
}
function* refusedChild(_: AllocatorArg, a: FrameAllocator): Task<number, Refusing> {
  throw new Error('the body ran');
}
function* catcher(a: FrameAllocator): Task<string> {
  try { return String(yield* refusedChild(allocatorArg, a)); } catch (e) { return (e as Error).message; }
}
function* lazy(): Lazy<number, LazyNested> {
  return (yield* readEnv(depth))!;
}
function* lazyOuter(): Task<number, Tagged> {
  return yield* lazy();
}
function* counted(_: AllocatorArg, a: FrameAllocator, x: number): Task<number, Bounded> {
  return x;
}
// A plain Task answers no depth: a Nested child of it starts at level 1.
function* plain(): Task<number[]> {
  return yield* mid();
}

export function run() {
  let connected: unknown;
  connect(mid(), { setValue: (v) => (connected = v), setError: (e) => (connected = e), setStopped: () => (connected = 'stopped'), getEnv: () => envWith(undefined, [depth, 5]) }).start();
  const bounded = new BoundedAllocator(1);
  const forRefused = new BoundedAllocator(1);
  const refusedEnv = [syncWait(catcher(forRefused)), forRefused.live, forRefused.total];
  let refused = '';
  try { counted(allocatorArg, new PoolAllocator(), 1); } catch (e) { refused = (e as Error).message; }
  return {
    syncWaited: syncWait(mid()),
    underPlain: syncWait(plain()),
    outer: syncWait(outer()),
    connected,
    lazy: syncWait(lazyOuter()),
    allocated: [syncWait(counted(allocatorArg, bounded, 7)), bounded.total, bounded.live],
    refused,
    refusedEnv,
  };
}
`;

describe('Task<T, P>: the Environment parameter', () => {
  let compiled: Compiled;
  beforeAll(() => {
    compiled = compile({ 'main.ts': SOURCE });
  });

  it('type-checks and lowers', () => {
    expect(compiled.typeErrors.join('\n')).toBe('');
    expect(compiled.diagnostics).toEqual([]);
    // the frames get the Environment's promise class; no task with one is elided
    expect(compiled.js.get('main.ts')).toMatch(/new Nested\(/);
    expect(compiled.js.get('main.ts')).not.toMatch(/\$body\(/);
  });

  it('makes each task environment from the one it starts in, keeps its own scheduler, and forwards nothing else', async () => {
    const r = (await runCompiled(compiled)).run();
    expect(r.syncWaited).toEqual([1, 2]);
    expect(r.underPlain).toEqual([1, 2]);
    // mid starts under outer's depth 10; outer's tag is its own; untagged does not see it
    expect(r.outer).toEqual([[11, 12], 'outer', undefined, true]);
    // connected to a receiver whose environment says depth 5
    expect(r.connected).toEqual([6, 7]);
    expect(r.lazy).toBe(11);
  });

  it('an Environment whose receiveEnv throws: the body never runs, the frame goes back, the awaiting task catches it', async () => {
    const r = (await runCompiled(compiled)).run();
    expect(r.refusedEnv).toEqual(['no environment', 0, 1]);
  });

  it("takes a call-site allocator only when it converts to the Environment's allocator type", async () => {
    const r = (await runCompiled(compiled)).run();
    expect(r.allocated).toEqual([7, 1, 0]);
    expect(r.refused).toMatch(/counted.*allocatorArg.*PoolAllocator.*Bounded\.allocatorType, BoundedAllocator/);
  });
});
