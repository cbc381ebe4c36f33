// The ramp of a coroutine whose promise type is exactly TaskPromise (a plain Task<T>): coStart
// with TaskPromise's own answers written in. Its constructor ignores the coroutine's arguments,
// its getReturnObject() is the promise itself and its initialSuspend() is suspendAlways, whose
// await does nothing; so the ramp constructs the promise, links it with the frame and leaves the
// frame suspended before its body. coStart's calls of getReturnObject and initialSuspend are call
// sites that every promise type of the program meets; a task's ramp makes none.
import { SUSPENDED, type CoroutineFrame, type CoroutineResumeFunction } from './frame.js';
import { promiseFrame, suspendAlways } from './coroutine.js';
import { TaskPromise } from './task.js';

/** @internal A new TaskPromise for the frame `f`, each linked to the other: a plain task's ramp and a materialized elided child make one. */
export function newTaskFor(f: CoroutineFrame): TaskPromise<any> {
  const p = new TaskPromise<any>();
  f.$p = p;
  p[promiseFrame] = f;
  return p;
}

/** Ramp steps after the parameters were copied, for a TaskPromise coroutine; returns the task. */
export function coStartTask(f: CoroutineFrame, entry: CoroutineResumeFunction): TaskPromise<any> {
  const p = newTaskFor(f);
  f.$r = entry;
  f.$a = suspendAlways;
  f.$s = SUSPENDED;
  return p;
}
