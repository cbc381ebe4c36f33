// CancelSafeQueue: holds pending requests so that a cancel (IoCancelIrp, handle close) and a
// removal by the driver can never both take the same request.
import { CoroutineHandle, type Awaiter } from '../coroutine.js';
import type { Awaitable } from '../task.js';
import { Status } from './status.js';
import type { FileObject, Request } from './device.js';

interface Entry<C> {
  req: Request;
  ctx: C;
}

/**
 * `onCancel(req, ctx)` runs for a queued request that gets cancelled, after it left the queue;
 * the default completes it with Status.Cancelled.
 */
export class CancelSafeQueue<C = undefined> {
  private readonly entries = new Set<Entry<C>>();
  private readonly byReq = new Map<Request, Entry<C>>();
  private readonly cancelRoutine = (req: Request): void => {
    const e = this.byReq.get(req);
    if (e === undefined) return;
    this.drop(e);
    this.onCancel(req, e.ctx);
  };
  constructor(private readonly onCancel: (req: Request, ctx: C) => void = (req) => void req.complete(Status.Cancelled)) {}

  get size(): number {
    return this.entries.size;
  }
  /**
   * IoCsqInsertIrp: marks the request pending and queues it. Returns false, without queueing, when
   * the request was already cancelled; the caller completes it.
   */
  insert(req: Request, ctx: C): boolean {
    if (req.cancelled) return false;
    req.markPending();
    const e = { req, ctx };
    this.entries.add(e);
    this.byReq.set(req, e);
    req.setCancelRoutine(this.cancelRoutine);
    return true;
  }
  /** IoCsqRemoveNextIrp: the oldest request matching `pred` (any when omitted), or null. */
  removeNext(pred?: (req: Request, ctx: C) => boolean): Entry<C> | null {
    for (const e of this.entries) {
      if (pred === undefined || pred(e.req, e.ctx)) {
        this.drop(e);
        return e;
      }
    }
    return null;
  }
  /** The oldest entry without removing it. */
  peek(): Entry<C> | null {
    for (const e of this.entries) return e;
    return null;
  }
  /** Removes every request of one file object (for cleanup on handle close). */
  removeForFile(file: FileObject): Entry<C>[] {
    const out: Entry<C>[] = [];
    for (const e of this.entries) if (e.req.file === file) out.push(e);
    for (const e of out) this.drop(e);
    return out;
  }
  private drop(e: Entry<C>): void {
    this.entries.delete(e);
    this.byReq.delete(e.req);
    e.req.setCancelRoutine(null);
  }
}

/**
 * `yield* queue.wait(req)` in a coroutine serving `req`: parks the coroutine with its request in a
 * CancelSafeQueue<CoroutineHandle>; whoever removes the entry resumes the handle. If the request
 * is cancelled while parked (or already was), it completes with Status.Cancelled and the coroutine
 * is destroyed, running its finally blocks.
 */
export class RequestWaitQueue extends CancelSafeQueue<CoroutineHandle<any>> {
  constructor() {
    super((req, h) => {
      req.complete(Status.Cancelled);
      h.destroy();
    });
  }
  /** `yield* queue.wait(req)` in a coroutine: parks it with its request until woken or cancelled. */
  wait(req: Request): Awaitable<void> {
    return new ParkAwaiter(this, req) as unknown as Awaitable<void>;
  }
  /** Resumes the oldest parked coroutine; returns false when none is parked. */
  wakeOne(): boolean {
    const e = this.removeNext();
    if (e === null) return false;
    e.ctx.resume();
    return true;
  }
}

class ParkAwaiter implements Awaiter<void> {
  constructor(private readonly q: RequestWaitQueue, private readonly req: Request) {}
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>): void {
    if (!this.q.insert(this.req, h)) {
      this.req.complete(Status.Cancelled);
      h.destroy();
    }
  }
  awaitResume(): void {}
}
