// Completing a suspended coroutine as *stopped* (the unhandled_stopped chain of [exec.task]), and
// reading the scheduler and stop token a coroutine's promise exposes (the environment of a task).
import { CoroutineError } from './frame.js';
import type { CoroutineHandle } from './coroutine.js';
import { inlineScheduler, resumeOn, type Resumable, type TaskScheduler } from './scheduler.js';
import { neverStopToken, type StopToken } from './stop.js';

/**
 * Completes a suspended coroutine as *stopped*: its pending finally blocks run (the frame is
 * destroyed) and then its promise's unhandledStopped() names the coroutine that must stop next
 * (for a task: the one awaiting it), until one has nobody above it.
 */
export function stopCoroutine(h: CoroutineHandle<any>): void {
  let cur: CoroutineHandle<any> | null = h;
  while (cur !== null) {
    const p: any = cur.promise;
    if (p == null || typeof p.unhandledStopped !== 'function') {
      // Nothing was destroyed yet: the coroutine asked to stop simply cannot.
      if (cur === h) throw new CoroutineError(cur.name, `coroutine '${cur.name}' completed as stopped, but its promise type has no unhandledStopped()`);
      // An awaiter of a stopped task that cannot stop too (in C++ awaiting it would not compile):
      // it resumes, and its await of the task throws StoppedError (TaskObject.awaitResume).
      cur.resume();
      return;
    }
    cur.destroy();
    cur = p.unhandledStopped();
  }
}

// Runs stopCoroutine as scheduled work, so a stop requested from anywhere completes on the
// stopped task's scheduler.
class StopWork implements Resumable {
  constructor(private readonly h: CoroutineHandle<any>) {}
  resume(): void {
    stopCoroutine(this.h);
  }
}
/** Completes h as stopped on scheduler s (at once when already on it). */
export function stopOn(s: TaskScheduler, h: CoroutineHandle<any>): void {
  resumeOn(s, new StopWork(h));
}

export function schedulerOf(h: CoroutineHandle<any>): TaskScheduler {
  const p = h.promise;
  const s = p == null ? undefined : p.scheduler;
  return s == null ? inlineScheduler : s;
}
export function stopTokenOf(h: CoroutineHandle<any>): StopToken {
  const p = h.promise;
  const t = p == null ? undefined : p.stopToken;
  return t == null ? neverStopToken : t;
}

