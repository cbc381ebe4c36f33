// Sender factories ([exec.factories]): just, justError, justStopped, schedule, readEnv.
import type { Resumable, TaskScheduler } from '../scheduler.js';
import { getEnv, getStopToken, type Env, type Query } from './env.js';
import { SenderBase, type OperationState, type Receiver, type Sender } from './sender.js';

class Just<T> extends SenderBase<T> {
  constructor(private readonly value: T) {
    super();
  }
  connect(r: Receiver<T>): OperationState {
    return new JustOp(r, this.value);
  }
}
class JustOp<T> implements OperationState {
  constructor(
    private readonly r: Receiver<T>,
    private readonly value: T,
  ) {}
  start(): void {
    this.r.setValue(this.value);
  }
}

/** `just(v)`: completes with v on the value channel as soon as it starts. */
export function just(): Sender<void>;
export function just<T>(value: T): Sender<T>;
export function just<T>(value?: T): Sender<T> {
  return new Just(value as T);
}

class JustError extends SenderBase<never> {
  constructor(private readonly error: unknown) {
    super();
  }
  connect(r: Receiver<never>): OperationState {
    const error = this.error;
    return { start: () => r.setError(error) };
  }
}
/** `just_error(e)`: completes with e on the error channel. */
export function justError(error: unknown): Sender<never> {
  return new JustError(error);
}

class JustStopped extends SenderBase<never> {
  connect(r: Receiver<never>): OperationState {
    return { start: () => r.setStopped() };
  }
}
const justStoppedSender = /* @__PURE__ */ new JustStopped();
/** `just_stopped()`: completes on the stopped channel. */
export function justStopped(): Sender<never> {
  return justStoppedSender;
}

class Schedule extends SenderBase<void> {
  constructor(readonly scheduler: TaskScheduler) {
    super();
  }
  connect(r: Receiver<void>): OperationState {
    return new ScheduleOp(this.scheduler, r);
  }
}
class ScheduleOp implements OperationState, Resumable {
  constructor(
    private readonly scheduler: TaskScheduler,
    private readonly r: Receiver<void>,
  ) {}
  start(): void {
    if (getStopToken(getEnv(this.r)).stopRequested) this.r.setStopped();
    else this.scheduler.schedule(this);
  }
  /** Runs as the scheduler's work: the completion happens on the scheduler. */
  resume(): void {
    if (getStopToken(getEnv(this.r)).stopRequested) this.r.setStopped();
    else this.r.setValue();
  }
}
/** `schedule(sch)`: completes with no value as work of `scheduler` (stopped if a stop was requested first). */
export function schedule(scheduler: TaskScheduler): Sender<void> {
  return new Schedule(scheduler);
}

class ReadEnv<T> extends SenderBase<T> {
  constructor(private readonly query: Query<T, any>) {
    super();
  }
  connect(r: Receiver<T>): OperationState {
    const q = this.query;
    return { start: () => r.setValue(q(getEnv(r)) as T) };
  }
}
/**
 * `read_env(q)`: completes with the answer of the receiver's environment to q. In a task,
 * `yield* readEnv(getStopToken)` reads the task's own environment.
 */
export function readEnv<T, D>(query: Query<T, D>): Sender<T | D> {
  return new ReadEnv<T | D>(query as Query<T | D, any>);
}

/** The environment type, re-exported for signatures that mention it. */
export type { Env };
