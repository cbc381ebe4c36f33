// Frames go back to their allocator on the two paths that used to keep them (issue 14, item 3):
// a promise constructor that throws in the ramp (C++ frees the frame before the exception leaves
// the ramp), and a task that is never started (`~task()`: here disposeTask / [Symbol.dispose]).
// Each is measured against a BoundedAllocator, which such a leak would exhaust.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled } from './helpers/program.js';

const source = `
import { BoundedAllocator, promiseType, suspendAlways, suspendNever, syncWait, disposeTask, type Awaiter, type Task, type FrameAllocator } from 'corosplit/runtime';

export const bounded = new BoundedAllocator(2);

export class TouchyPromise {
  static frameAllocator: FrameAllocator = bounded;
  static fail = false;
  constructor(..._args: unknown[]) {
    if (TouchyPromise.fail) throw new Error('promise constructor refused');
  }
  getReturnObject(): Touchy { return { ok: true } as unknown as Touchy; }
  initialSuspend(): Awaiter<void> { return suspendNever; }
  finalSuspend(): Awaiter<void> { return suspendNever; }
  returnVoid(): void {}
  unhandledException(e: unknown): void { throw e; }
}
export interface Touchy {
  readonly [promiseType]?: TouchyPromise;
  [Symbol.iterator](): Iterator<unknown, void, any>;
}
export function* touchy(log: string[]): Touchy {
  log.push('body ran');
}

export function* child(n: number): Task<number> {
  return n * 2;
}
export function* parent(): Task<number> {
  const a = yield* child(1);
  return a + 1;
}
export { syncWait, disposeTask };
export { heapAllocator as heap } from 'corosplit/runtime';
`;

describe('frames are released on the paths that used to leak them', () => {
  let m: any;
  beforeAll(async () => {
    const c = compile({ 'main.ts': source });
    expect(c.typeErrors).toEqual([]);
    m = await runCompiled(c);
  });

  it('a promise constructor that throws hands the frame back before the exception leaves the ramp', () => {
    const log: string[] = [];
    m.TouchyPromise.fail = true;
    for (let i = 0; i < 5; i++) expect(() => m.touchy(log)).toThrow('promise constructor refused');
    expect(m.bounded.live).toBe(0);
    m.TouchyPromise.fail = false;
    m.touchy(log);
    expect(log).toEqual(['body ran']);
    expect(m.bounded.failures).toBe(0);
  });

  it('a task that is never started: disposeTask and [Symbol.dispose] return its frame; awaiting it afterwards is a clear error', () => {
    const live0 = liveOf(m);
    const tasks = Array.from({ length: 100 }, (_, i) => m.child(i));
    expect(liveOf(m) - live0).toBe(100);
    for (const t of tasks.slice(0, 50)) m.disposeTask(t);
    for (const t of tasks.slice(50)) t[Symbol.dispose]();
    expect(liveOf(m)).toBe(live0);
    expect(() => m.syncWait(tasks[0])).toThrow(/was disposed before it started/);
    // disposing twice, or disposing a finished task, changes nothing
    m.disposeTask(tasks[0]);
    const done = m.child(5);
    expect(m.syncWait(done)).toBe(10);
    m.disposeTask(done);
    expect(m.syncWait(m.parent())).toBe(3);
    expect(liveOf(m)).toBe(live0);
  });
});

/** Frames of the default allocator still held: total allocations minus releases, read off heapAllocator. */
function liveOf(m: any): number {
  return m.heap.live;
}
