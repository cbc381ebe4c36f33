// Senders awaited by coroutines ([exec.as.awaitable], and the await_transform of [exec.task]):
// a task's `yield* sndr` connects sndr to an awaiter that is also its receiver. The receiver's
// environment is the awaiting coroutine's: its scheduler, its stop token, and whatever its promise
// adds through getEnv(). A sender that completes while it is being started resumes the coroutine
// by not suspending it (awaitSuspend returns false), so any run of inline completions takes
// constant stack; a later completion resumes the coroutine's own handle, which for a task brings
// it back to its scheduler (affinity on every path).
import type { Awaiter, CoroutineHandle } from '../coroutine.js';
import { schedulerOf, stopCoroutine, stopOn, stopTokenOf } from '../stop-coroutine.js';
import { envWith, getAllocator, getEnv, getScheduler, getStopToken, type Env } from './env.js';
import { continuesOn } from './scheduling.js';
import { connect, ERROR, isSender, PENDING, SenderBase, STOPPED, VALUE, type OperationState, type Receiver, type Sender, type SenderLike } from './sender.js';


/** `as_awaitable(sndr, promise)`: the awaiter through which a coroutine awaits a sender. */
export class SenderAwaiter<T> implements Awaiter<T>, Receiver<T> {
  private h: CoroutineHandle<any> | null = null;
  private state = PENDING;
  private result: unknown = undefined;
  private starting = false;
  private env: Env | undefined = undefined;
  constructor(private readonly sender: SenderLike<T>) {}
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>): boolean {
    this.h = h;
    const op = connect(this.sender, this);
    this.starting = true;
    try {
      op.start();
    } finally {
      this.starting = false;
    }
    if (this.state === PENDING) return true;
    if (this.state === STOPPED) {
      stopCoroutine(h);
      return true;
    }
    return false;
  }
  awaitResume(): T {
    if (this.state === ERROR) throw this.result;
    return this.result as T;
  }
  setValue(v: T): void {
    this.settle(VALUE, v);
  }
  setError(e: unknown): void {
    this.settle(ERROR, e);
  }
  setStopped(): void {
    this.settle(STOPPED, undefined);
  }
  private settle(state: number, result: unknown): void {
    if (this.state !== PENDING) return;
    this.state = state;
    this.result = result;
    if (this.starting) return;
    const h = this.h!;
    if (state === STOPPED) stopOn(schedulerOf(h), h);
    else h.resume();
  }
  /** Built once per await: a sender may ask for it more than once (schedule does on start and on resume). */
  getEnv(): Env {
    return (this.env ??= this.makeEnv());
  }
  private makeEnv(): Env {
    return coroutineEnv(this.h!);
  }
}

/**
 * The environment of the coroutine behind `h`, as what it awaits sees it: its scheduler, stop
 * token and frame allocator, over the queries its promise's `getEnv()` answers.
 */
export function coroutineEnv(h: CoroutineHandle<any>): Env {
  const p = h.promise as { getEnv?(): Env } | null | undefined;
  const base = p != null && typeof p.getEnv === 'function' ? p.getEnv() : undefined;
  // The frame's own allocator is the environment's: `yield* readEnv(getAllocator)` in a task
  // gives the allocator its frame came from, to pass on to the children it creates.
  return envWith(base, [getScheduler, schedulerOf(h)], [getStopToken, stopTokenOf(h)], [getAllocator, h.$f.$al ?? undefined]);
}

/** `as_awaitable(sndr)`: an awaiter for a sender (what a task's awaitTransform makes of one). */
export function asAwaitable<T>(sender: SenderLike<T>): Awaiter<T> {
  if (!isSender(sender)) throw new TypeError(`asAwaitable: expected a sender, got ${sender === null ? 'null' : typeof sender}`);
  return new SenderAwaiter(sender);
}

class Affine<T> extends SenderBase<T> {
  constructor(private readonly child: SenderLike<T>) {
    super();
  }
  connect(r: Receiver<T>): OperationState {
    const s = getScheduler(getEnv(r));
    return connect(s === undefined || s.inline === true ? this.child : continuesOn(this.child, s), r);
  }
}
/**
 * `affine(sndr)`: sndr, completing on the receiver's scheduler. A task does not need it (its handle
 * enforces affinity when resumed); it is for receivers that are not coroutines.
 */
export function affine<T>(sender: SenderLike<T>): Sender<T> {
  return new Affine(sender);
}

/**
 * `with_awaitable_senders`: what a user promise type's awaitTransform returns so that its
 * coroutines can await senders: an awaiter for a sender, anything else as it is.
 * `awaitTransform(x) { return withAwaitableSenders(x); }`
 */
export function withAwaitableSenders(x: unknown): unknown {
  return isSender(x) && typeof (x as { awaitReady?: unknown }).awaitReady !== 'function' ? new SenderAwaiter(x) : x;
}
