// Coroutine pieces for drivers: the fire-and-forget promise type, the dispatch promise type that
// turns frame-allocation failure into a value, resumeBackground(), and callLowerAndWait().
import { CoroutineHandle, promiseType, suspendNever, type Awaiter } from '../coroutine.js';
import { eventLoopScheduler } from '../scheduler.js';
import { thenableAwaiter, type Awaitable } from '../task.js';
import { Request, RequestError, type Device } from './device.js';
import { Status, type StatusCode } from './status.js';

/** Return type of a coroutine nobody awaits: `function* f(): FireAndForget`. */
export interface FireAndForget {
  readonly [promiseType]?: FireAndForgetPromise;
  /** Type-only: lets TypeScript accept FireAndForget as a `function*` return type. Nothing iterates it. */
  [Symbol.iterator](): Iterator<unknown, void, any>;
}

/** What a FireAndForget ramp returns. */
export const fireAndForgetStarted: FireAndForget = /* @__PURE__ */ Object.freeze({ started: true }) as unknown as FireAndForget;

/**
 * Starts at once (no initial suspension) and frees its frame when it finishes (no final
 * suspension). Promises can be awaited directly; other awaiters resume it wherever they complete.
 */
export class FireAndForgetPromise {
  /** Where exceptions leaving a fire-and-forget coroutine go; the default rethrows them asynchronously. */
  static onUnhandledException: (e: unknown, coroutine: string) => void = (e) => {
    queueMicrotask(() => {
      throw e;
    });
  };
  /** Ramps pass the coroutine's arguments (coroutine-abi.md §4); not needed here. */
  constructor(..._params: unknown[]) {}
  getReturnObject(): FireAndForget {
    return fireAndForgetStarted;
  }
  initialSuspend(): Awaiter<void> {
    return suspendNever;
  }
  finalSuspend(): Awaiter<void> {
    return suspendNever;
  }
  returnVoid(): void {}
  unhandledException(e: unknown): void {
    (this.constructor as typeof FireAndForgetPromise).onUnhandledException(e, CoroutineHandle.fromPromise(this).name);
  }
  unhandledStopped(): null {
    return null;
  }
  awaitTransform(x: unknown): unknown {
    if (x !== null && typeof x === 'object' && typeof (x as any).awaitReady !== 'function' && typeof (x as any).then === 'function') {
      return thenableAwaiter(x as PromiseLike<unknown>);
    }
    return x;
  }
}

/** Return type of a request-serving coroutine: `function* serve(...): Dispatch`. */
export interface Dispatch {
  readonly [promiseType]?: DispatchPromise;
  /** Type-only: lets TypeScript accept Dispatch as a `function*` return type. Nothing iterates it. */
  [Symbol.iterator](): Iterator<unknown, void, any>;
}
/** What a Dispatch ramp returns when its frame could not be allocated. */
export const dispatchAllocationFailed: Dispatch = /* @__PURE__ */ Object.freeze({ allocationFailed: true }) as unknown as Dispatch;

/**
 * A fire-and-forget coroutine serving one request. When the frame allocator (usually a
 * BoundedAllocator passed with allocatorArg) is exhausted, the ramp returns
 * dispatchAllocationFailed instead of throwing, so the caller completes the request with
 * Status.InsufficientResources.
 */
export class DispatchPromise extends FireAndForgetPromise {
  /** The requests among the coroutine's arguments: the ones it serves. */
  private readonly requests: Request[] = [];
  constructor(...params: unknown[]) {
    super();
    for (const p of params) if (p instanceof Request) this.requests.push(p);
  }
  static getReturnObjectOnAllocationFailure(): Dispatch {
    return dispatchAllocationFailed;
  }
  override getReturnObject(): Dispatch {
    return fireAndForgetStarted as Dispatch;
  }
  /**
   * An exception left the coroutine: each request it was given and did not complete is completed
   * with InternalError, as Device.dispatch does for a routine that throws before it returns, so the
   * request's owner and the device's remove lock are released; then the exception is reported.
   */
  override unhandledException(e: unknown): void {
    this.completeLeftovers(Status.InternalError);
    super.unhandledException(e);
  }
  /** The coroutine was stopped (a cancelled await): its requests complete as Cancelled. */
  override unhandledStopped(): null {
    this.completeLeftovers(Status.Cancelled);
    return null;
  }
  private completeLeftovers(status: StatusCode): void {
    for (const r of this.requests) if (!r.completed) r.complete(status);
  }
}

class ResumeBackground implements Awaiter<void> {
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>): void {
    eventLoopScheduler.yieldNow(h);
  }
  awaitResume(): void {}
}
const background = /* @__PURE__ */ new ResumeBackground();
/**
 * `yield* resumeBackground()`: continue in a later turn of the event loop, after pending I/O (the
 * analogue of continuing on a system worker thread).
 */
export function resumeBackground(): Awaitable<void> {
  return background as unknown as Awaitable<void>;
}

// IoCallDriver with a completion routine the caller awaits (seed 000's send_urb_async): the
// routine takes the request back with MoreProcessingRequired and resumes the awaiting coroutine,
// which reads the lower driver's status and completes the request itself. A lower driver that
// completes at once resumes it without nesting (see CoroutineHandle.resume).
class LowerCall implements Awaiter<StatusCode> {
  private h: CoroutineHandle<any> | null = null;
  constructor(
    private readonly lower: Device,
    private readonly req: Request,
  ) {}
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>): void {
    this.h = h;
    this.req.setCompletionRoutine(this.takeBack);
    this.lower.dispatch(this.req);
  }
  private readonly takeBack = (r: Request): StatusCode => {
    r.resumeAfterTakeBack(this.h!);
    return Status.MoreProcessingRequired;
  };
  awaitResume(): StatusCode {
    return this.req.status;
  }
}

/**
 * `yield* callLowerAndWait(device.lower, req)`: sends `req` down to `lower` and waits until that
 * driver completes it; returns its status (`req.information` holds its information). The request
 * is then the caller's again: it must complete it (with the lower status or its own).
 */
export function callLowerAndWait(lower: Device | null, req: Request): Awaitable<StatusCode> {
  if (lower === null) throw new RequestError(`no lower device to send ${req.name} to`);
  return new LowerCall(lower, req) as unknown as Awaitable<StatusCode>;
}
