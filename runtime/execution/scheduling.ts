// Moving work between schedulers ([exec.starts.on], [exec.continues.on]).
import type { Resumable, TaskScheduler } from '../scheduler.js';
import { envWith, getEnv, getScheduler, getStopToken, type Env } from './env.js';
import { connect, deliver, ERROR, SenderBase, STOPPED, VALUE, type OperationState, type Receiver, type Sender, type SenderLike } from './sender.js';

class StartsOn<T> extends SenderBase<T> {
  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly child: SenderLike<T>,
  ) {
    super();
  }
  connect(r: Receiver<T>): OperationState {
    return new StartsOnOp(this.scheduler, this.child, r);
  }
}
/** Schedules onto the scheduler, then starts the child there; the child sees that scheduler in its environment. */
class StartsOnOp<T> implements OperationState, Resumable, Receiver<T> {
  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly child: SenderLike<T>,
    private readonly r: Receiver<T>,
  ) {}
  start(): void {
    if (getStopToken(getEnv(this.r)).stopRequested) this.r.setStopped();
    else this.scheduler.schedule(this);
  }
  resume(): void {
    if (getStopToken(getEnv(this.r)).stopRequested) {
      this.r.setStopped();
      return;
    }
    let op: OperationState;
    try {
      op = connect(this.child, this);
    } catch (e) {
      this.r.setError(e);
      return;
    }
    op.start();
  }
  setValue(v: T): void {
    this.r.setValue(v);
  }
  setError(e: unknown): void {
    this.r.setError(e);
  }
  setStopped(): void {
    this.r.setStopped();
  }
  getEnv(): Env {
    return envWith(getEnv(this.r), [getScheduler, this.scheduler]);
  }
}
/** `starts_on(sch, sndr)`: sndr started as work of sch, with sch as its environment's scheduler. */
export function startsOn<T>(scheduler: TaskScheduler, sender: SenderLike<T>): Sender<T> {
  return new StartsOn(scheduler, sender);
}


class ContinuesOn<T> extends SenderBase<T> {
  constructor(
    private readonly child: SenderLike<T>,
    private readonly scheduler: TaskScheduler,
  ) {
    super();
  }
  connect(r: Receiver<T>): OperationState {
    return new ContinuesOnOp(this.child, this.scheduler, r);
  }
}
/** Keeps the child's completion and delivers it as work of the scheduler. */
class ContinuesOnOp<T> implements OperationState, Resumable, Receiver<T> {
  private readonly op: OperationState;
  private channel = VALUE;
  private result: unknown = undefined;
  constructor(
    child: SenderLike<T>,
    private readonly scheduler: TaskScheduler,
    private readonly r: Receiver<T>,
  ) {
    this.op = connect(child, this);
  }
  start(): void {
    this.op.start();
  }
  private hop(channel: number, result: unknown): void {
    this.channel = channel;
    this.result = result;
    this.scheduler.schedule(this);
  }
  setValue(v: T): void {
    this.hop(VALUE, v);
  }
  setError(e: unknown): void {
    this.hop(ERROR, e);
  }
  setStopped(): void {
    this.hop(STOPPED, undefined);
  }
  resume(): void {
    deliver(this.r, this.channel, this.result);
  }
  getEnv(): Env {
    return getEnv(this.r);
  }
}
/** `continues_on(sndr, sch)`: sndr's completion, whichever channel, delivered as work of sch. */
export function continuesOn<T>(sender: SenderLike<T>, scheduler: TaskScheduler): Sender<T> {
  return new ContinuesOn(sender, scheduler);
}
