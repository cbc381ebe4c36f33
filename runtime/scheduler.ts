// Schedulers decide where a coroutine resumes. A scheduler takes Resumables (a CoroutineHandle is
// one), so scheduling allocates no closure. `currentScheduler()` is the scheduler whose work is
// running now; tasks compare it with their own to skip rescheduling when already there.

export interface Resumable {
  resume(): void;
}

/**
 * The type-erased scheduler a task holds (P3552's task_scheduler): anything that can run a
 * Resumable later. `inline` marks schedulers that run work at once, which opts a task out of
 * scheduler affinity. `yieldNow` runs work after the host's pending I/O and timers, when it
 * differs from `schedule`.
 */
export interface TaskScheduler {
  schedule(r: Resumable): void;
  yieldNow?(r: Resumable): void;
  readonly inline?: boolean;
}
export type Scheduler = TaskScheduler;

let current: TaskScheduler | null = null;

/** The scheduler whose work is running right now, or null outside any scheduler. */
export function currentScheduler(): TaskScheduler | null {
  return current;
}

/** Runs r as work of scheduler s. */
export function runAs(s: TaskScheduler, r: Resumable): void {
  const prev = current;
  current = s;
  try {
    r.resume();
  } finally {
    current = prev;
  }
}

/** Resumes r on s: at once when s is inline or already running, else through s.schedule. */
export function resumeOn(s: TaskScheduler, r: Resumable): void {
  if (s.inline === true || current === s) r.resume();
  else s.schedule(r);
}

/** Runs work at once, on whatever context completes it: a task on it has no affinity. */
export class InlineScheduler implements TaskScheduler {
  readonly inline = true;
  schedule(r: Resumable): void {
    runAs(this, r);
  }
}
export const inlineScheduler: InlineScheduler = /* @__PURE__ */ new InlineScheduler();

// A FIFO of Resumables without per-item allocation: an array used as a ring that doubles when full.
class WorkQueue {
  private buf: (Resumable | undefined)[] = new Array(16);
  private head = 0;
  size = 0;
  push(r: Resumable): void {
    if (this.size === this.buf.length) {
      const old = this.buf;
      const next: (Resumable | undefined)[] = new Array(old.length * 2);
      for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & (old.length - 1)];
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.size) & (this.buf.length - 1)] = r;
    this.size++;
  }
  shift(): Resumable | undefined {
    if (this.size === 0) return undefined;
    const r = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.size--;
    return r;
  }
}

/** std::execution::run_loop: work runs inside run(), on the caller's stack, one item at a time. */
export class RunLoop implements TaskScheduler {
  private readonly queue = new WorkQueue();
  private finishing = false;
  schedule(r: Resumable): void {
    this.queue.push(r);
  }
  /** The loop is its own scheduler; kept for symmetry with run_loop::get_scheduler. */
  getScheduler(): RunLoop {
    return this;
  }
  /** Items waiting to run. */
  get pending(): number {
    return this.queue.size;
  }
  /** Runs queued work until the queue is empty (after finish()) or `until()` holds. */
  run(until?: () => boolean): void {
    for (;;) {
      if (until !== undefined && until()) return;
      const r = this.queue.shift();
      if (r === undefined) return;
      runAs(this, r);
    }
  }
  finish(): void {
    this.finishing = true;
  }
  get finished(): boolean {
    return this.finishing;
  }
}

declare function setImmediate(cb: () => void): unknown;

/**
 * The host event loop: `schedule` runs work in a microtask, `yieldNow` in a macrotask so pending
 * I/O and timers go first. One drain callback per batch, not one closure per item.
 */
export class EventLoopScheduler implements TaskScheduler {
  private readonly micro = new WorkQueue();
  private readonly macro = new WorkQueue();
  private microArmed = false;
  private macroArmed = false;
  private readonly drainMicro = (): void => {
    this.microArmed = false;
    this.drain(this.micro);
  };
  private readonly drainMacro = (): void => {
    this.macroArmed = false;
    this.drain(this.macro);
  };
  schedule(r: Resumable): void {
    this.micro.push(r);
    if (!this.microArmed) {
      this.microArmed = true;
      queueMicrotask(this.drainMicro);
    }
  }
  yieldNow(r: Resumable): void {
    this.macro.push(r);
    if (!this.macroArmed) {
      this.macroArmed = true;
      if (typeof setImmediate === 'function') setImmediate(this.drainMacro);
      else setTimeout(this.drainMacro, 0);
    }
  }
  private drain(q: WorkQueue): void {
    // Only what was queued before the drain started runs now; later work waits for the next turn.
    let n = q.size;
    while (n-- > 0) {
      const r = q.shift()!;
      try {
        runAs(this, r);
      } catch (e) {
        // A resumption that throws has no one to report to here; surface it like an uncaught error.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}
export const eventLoopScheduler: EventLoopScheduler = /* @__PURE__ */ new EventLoopScheduler();
