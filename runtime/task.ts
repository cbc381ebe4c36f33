// Task<T> (in the spirit of P3552 std::execution::task): a lazy coroutine with scheduler affinity,
// stop-token propagation, a separate *stopped* outcome and errors without exceptions.
//
// A task's promise is its return object and its own awaiter, and its final awaiter is stateless,
// so awaiting a child task allocates the child's frame and promise, and a handle only when the
// child really suspends. The parent starts the child inside its await (TaskPromise.$startUnder);
// one that completes there makes the await ready. Past a fixed nesting depth, control passes
// parent -> child -> parent by symmetric transfer, so chains of any depth run in constant stack.
import { CoroutineError, CoroutineFrame, RUNNING } from './frame.js';
import { CoroutineHandle, handleOf, promiseFrame, promiseType, ReleasingFinalAwaiter, resumeFrame, suspendAlways, type Awaiter } from './coroutine.js';
import { currentScheduler, eventLoopScheduler, inlineScheduler, resumeOn, RunLoop, type Resumable, type TaskScheduler } from './scheduler.js';
import { isGeneratorObject, unloweredCoroutineMessage } from './unlowered.js';
import { LinkedStopSource, neverStopToken, type StopRegistration, type StopToken } from './stop.js';
import { schedulerOf, stopCoroutine, stopOn, stopTokenOf } from './stop-coroutine.js';
import { envWith, getEnv, getScheduler, getStopToken, type Env } from './execution/env.js';
import { isSender, senderTag, type OperationState, type Receiver, type Sender } from './execution/sender.js';
import { coroutineEnv, SenderAwaiter } from './execution/awaitable.js';
import { runToCompletion } from './execution/consumers.js';
import { whenAllSenders } from './execution/when-all.js';
import { inlineNesting, maxInlineDepth } from './inline-nesting.js';

const PENDING = 0;
const VALUE = 1;
const ERROR = 2;
const STOPPED = 3;

// TaskPromise.life
const FRESH = 0;
const STARTED = 1;
const DISPOSED = 2;

/** The outcome of a task that completed as stopped, where an API has to report it as a rejection. */
export class StoppedError extends Error {
  readonly coroutine: string;
  constructor(coroutine: string, why?: 'stopped-awaiter') {
    super(why === undefined ? `task '${coroutine}' completed as stopped` : `task '${coroutine}' completed as stopped, and its awaiter's promise type has no unhandledStopped(), so it cannot stop too`);
    this.name = 'StoppedError';
    this.coroutine = coroutine;
  }
}

/** Who learns that a task started with start() (not awaited by a coroutine) completed. */
export interface TaskReceiver {
  taskDone(p: TaskPromise<any>): void;
}

export { stopCoroutine, stopOn } from './stop-coroutine.js';

// A task's own handle, the one every awaiter's awaitSuspend receives: resuming it brings the task
// back to its scheduler (affinity). Installing it as the frame's handle, instead of wrapping each
// awaiter in an adapter, lets a task await a foreign awaiter as it is, so the awaiter's methods are
// called, and inlined, at the `yield*` itself.
class AffineHandle extends CoroutineHandle<any> {
  // A plain handle to the same activation, made only when a resumption has to be scheduled: a
  // scheduler that runs work without runAs would otherwise bounce it back here forever.
  private plain: CoroutineHandle<any> | null = null;
  constructor(
    private readonly task: TaskPromise<any>,
    f: CoroutineFrame,
  ) {
    super(f, f.$g);
  }
  override resume(): void {
    const p = this.task;
    // The task really suspended: its run of inline completions is over.
    p.left = TaskPromise.stepBudget;
    const s = p.scheduler;
    if (currentScheduler() === s || s.inline === true) super.resume();
    else s.schedule((this.plain ??= new CoroutineHandle(this.$f, this.$g)));
  }
  override $acceptsTransfer(): boolean {
    const s = this.task.scheduler;
    if (currentScheduler() === s || s.inline === true) return true;
    s.schedule((this.plain ??= new CoroutineHandle(this.$f, this.$g)));
    return false;
  }
}

// The final awaiter of every task; stateless, so one instance serves all.
class TaskFinalAwaiter extends ReleasingFinalAwaiter<TaskPromise<any>> {
  next(p: TaskPromise<any>): CoroutineHandle<any> | null {
    return p.$complete();
  }
}
const taskFinal = /* @__PURE__ */ new TaskFinalAwaiter();

/** `yield withError(e)`: completes the task with error e without throwing, so no catch sees it. */
export class WithError {
  constructor(readonly error: unknown) {}
}
export function withError(error: unknown): WithError {
  return new WithError(error);
}

class WithErrorAwaiter implements Awaiter<never> {
  constructor(private readonly error: unknown) {}
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<TaskPromise<any>>): CoroutineHandle<any> | boolean {
    const p = h.promise;
    p.state = ERROR;
    p.value = this.error;
    h.destroy(); // runs the finally blocks pending at the yield
    return p.$complete() ?? true;
  }
  awaitResume(): never {
    throw new Error('unreachable: a task resumed after yield withError');
  }
}

/** `yield* changeScheduler(s)`: moves the task onto s and returns the scheduler it was on. */
export class ChangeScheduler {
  constructor(readonly scheduler: TaskScheduler) {}
}
export function changeScheduler(s: TaskScheduler): Awaitable<TaskScheduler> {
  return new ChangeScheduler(s) as unknown as Awaitable<TaskScheduler>;
}
class ChangeSchedulerAwaiter implements Awaiter<TaskScheduler> {
  constructor(private readonly prev: TaskScheduler, private readonly next: TaskScheduler) {}
  awaitReady(): boolean {
    return this.next === this.prev || this.next.inline === true || currentScheduler() === this.next;
  }
  awaitSuspend(h: CoroutineHandle<any>): void {
    this.next.schedule(h);
  }
  awaitResume(): TaskScheduler {
    return this.prev;
  }
}

// Awaits a thenable: resumes on the task's scheduler when it settles, or completes the task as
// stopped when its stop token fires first.
class PromiseAwaiter<T> implements Awaiter<T> {
  private h: CoroutineHandle<any> | null = null;
  private reg: StopRegistration | null = null;
  private state = PENDING;
  private value: unknown = undefined;
  constructor(private readonly thenable: PromiseLike<T>) {}
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>): void {
    this.h = h;
    const t = stopTokenOf(h);
    if (t.stopPossible) this.reg = t.subscribe(() => this.onStop());
    if (this.state !== PENDING) return;
    this.thenable.then(
      (v) => this.settle(VALUE, v),
      (e) => this.settle(ERROR, e),
    );
  }
  private settle(state: number, v: unknown): void {
    if (this.state !== PENDING) return;
    this.state = state;
    this.value = v;
    this.reg?.unsubscribe();
    resumeOn(schedulerOf(this.h!), this.h!);
  }
  private onStop(): void {
    if (this.state !== PENDING) return;
    this.state = STOPPED;
    stopOn(schedulerOf(this.h!), this.h!);
  }
  awaitResume(): T {
    if (this.state === ERROR) throw this.value;
    return this.value as T;
  }
}

/** An awaitable timer: `yield* sleep(ms)`. Stopping the awaiting task cancels it. */
export class Sleep implements Awaiter<void> {
  private h: CoroutineHandle<any> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private reg: StopRegistration | null = null;
  private readonly fire = (): void => {
    this.timer = undefined;
    this.reg?.unsubscribe();
    this.h!.resume();
  };
  constructor(readonly ms: number) {}
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>): void {
    this.h = h;
    this.timer = setTimeout(this.fire, this.ms);
    const t = stopTokenOf(h);
    if (t.stopPossible) {
      this.reg = t.subscribe(() => {
        if (this.timer === undefined) return;
        clearTimeout(this.timer);
        this.timer = undefined;
        stopOn(schedulerOf(this.h!), this.h!);
      });
    }
  }
  awaitResume(): void {}
}
export function sleep(ms: number): Awaitable<void> {
  return new Sleep(ms) as unknown as Awaitable<void>;
}

/** An awaiter that is always ready with a value: the cheapest possible inline completion. */
export class Ready<T> implements Awaiter<T> {
  constructor(readonly value: T) {}
  awaitReady(): boolean {
    return true;
  }
  awaitSuspend(_h: CoroutineHandle<any>): void {}
  awaitResume(): T {
    return this.value;
  }
}
export function ready<T>(value: T): Awaitable<T> {
  return new Ready(value) as unknown as Awaitable<T>;
}

/** `yield* stopIfRequested()`: completes the task as stopped when its stop token has fired. */
class StopCheck implements Awaiter<void> {
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<any>): boolean {
    if (!stopTokenOf(h).stopRequested) return false;
    stopCoroutine(h);
    return true;
  }
  awaitResume(): void {}
}
const stopCheck = /* @__PURE__ */ new StopCheck();
export function stopIfRequested(): Awaitable<void> {
  return stopCheck as unknown as Awaitable<void>;
}

/** What a task awaits when its inline step budget is spent: one turn of its scheduler. */
class BudgetYield implements Awaiter<void> {
  awaitReady(): boolean {
    return false;
  }
  awaitSuspend(h: CoroutineHandle<TaskPromise<any>>): void {
    yieldTo(h.promise.scheduler, h);
  }
  awaitResume(): void {}
}
const budgetYield = /* @__PURE__ */ new BudgetYield();

/**
 * The promise type of Task<T>, and the task object its coroutines return (TaskObject is this
 * class): the promise, the awaiter and the sender of one task. Exposes `scheduler` and
 * `stopToken`, which child tasks and awaiters read from the handle they are given (the
 * environment queries of P3552).
 */
export class TaskPromise<T = void> implements Awaiter<T>, Sender<T> {
  declare readonly [senderTag]: true;
  /**
   * Tasks take a frame allocator from the call (`f(allocatorArg, alloc, ...)`) over their
   * frameAllocator, as task's operator new(size, allocator_arg_t, Alloc, ...) does; any
   * FrameAllocator converts (set a class here to require one).
   */
  static allocatorType: Function | 'any' = 'any';
  /** Inline completions in a row after which a task yields to its scheduler (see yieldNow). */
  static stepBudget = 10_000;
  /** @internal */ state = PENDING;
  /** @internal The value, or the error when the state is ERROR (one field: a task is allocated per call). */
  value: unknown = undefined;
  scheduler: TaskScheduler = inlineScheduler;
  stopToken: StopToken = neverStopToken;
  /** @internal */ cont: CoroutineHandle<any> | null = null;
  /** @internal */ receiver: TaskReceiver | null = null;
  /** @internal FRESH, STARTED (awaited or started) or DISPOSED (dispose() destroyed it before it started). */
  life = FRESH;
  /** @internal Awaits left before the task yields (see stepBudget); refilled when it really suspends. */
  left = TaskPromise.stepBudget;
  /**
   * @internal How the task relates to an awaiting task that started it inside its own await
   * (see $startUnder): 0 not so, 1 running there now, 2 completed there (its await is ready),
   * 3 suspended or stopped there (the awaiting task's awaitSuspend finishes the handover).
   */
  $i = 0;

  /** @internal The frame, set by coStart; declared so that setting it keeps the object's shape. */
  [promiseFrame]: CoroutineFrame | undefined = undefined;

  /**
   * A promise type derived from TaskPromise, named as the second argument of `Task<T, P>` (the
   * Environment of P3552's `task<T, Environment>`), may define this: it is called once, as the
   * task starts and before its body runs, with the environment it starts in (that of the task
   * awaiting it, or of the receiver it was connected to or started for), so it can keep what it
   * needs to answer queries from its own `getEnv()`. The task's scheduler, stop token and
   * allocator stay its own; other queries are only what getEnv() answers.
   */
  receiveEnv?(env: Env): void;

  // Ramps pass the coroutine's arguments (coroutine-abi.md §4) to a derived promise type; a task
  // does not need them (a plain task's ramp, coStartTask, passes none), and declaring no
  // parameters keeps V8 from building a rest array per task.
  constructor() {}

  getReturnObject(): Task<T> {
    return this as unknown as Task<T>;
  }
  /**
   * @internal The handle the runtime makes for the task's frame on first need, the affine one:
   * awaiters, the scheduler and the awaiting parent all use it. A task that completes without
   * really suspending never makes one.
   */
  $newHandle(f: CoroutineFrame): CoroutineHandle<TaskPromise<T>> {
    return new AffineHandle(this, f);
  }
  /** @internal The task's handle; only while its frame is alive. */
  $self(): CoroutineHandle<TaskPromise<T>> {
    return handleOf(this[promiseFrame]!);
  }
  /**
   * @internal The coroutine's name, for messages. Read from the frame only when a message needs it
   * (the frame header keeps its coroutine's locals class after release, and a pool reuses it only
   * for the same coroutine), so starting a task costs no call to a per-coroutine getter.
   */
  get name(): string {
    const f = this[promiseFrame];
    return f === undefined ? 'task' : f.$name;
  }
  initialSuspend(): Awaiter<void> {
    return suspendAlways; // lazy: whoever awaits or starts the task resumes it
  }
  finalSuspend(): Awaiter<void> {
    return taskFinal;
  }
  returnValue(v: T): void {
    this.state = VALUE;
    this.value = v;
  }
  returnVoid(): void {
    this.state = VALUE;
  }
  unhandledException(e: unknown): void {
    this.state = ERROR;
    this.value = e;
  }
  /** Marks the task stopped and names the coroutine that must stop next (its awaiter) or null. */
  unhandledStopped(): CoroutineHandle<any> | null {
    this.state = STOPPED;
    // Started inside the awaiting task's await, which is still running: it stops when it
    // reaches its awaitSuspend (TaskObject.awaitSuspend).
    if (this.$i === 1) return null;
    const cont = this.cont;
    if (cont !== null) {
      this.cont = null;
      return cont;
    }
    this.$notifyReceiver();
    return null;
  }
  yieldValue(v: unknown): Awaiter<unknown> {
    if (v instanceof WithError) return new WithErrorAwaiter(v.error);
    throw new CoroutineError(this.name, `task '${this.name}' yielded a value; tasks only await (yield*) or complete with yield withError(e)`);
  }

  /**
   * co_await in a task. A child task and any other awaiter are awaited as they are: the awaiter
   * receives the task's affine handle, so a suspension resumes on the task's scheduler. Thenables
   * get a PromiseAwaiter and changeScheduler a hop.
   *
   * This runs inlined at every `yield*` of every task and returns the awaiter untouched, so that
   * when it is ready V8 can inline its methods and drop a fresh one altogether: the step budget is
   * kept by afterInlineAwait, which never sees the awaiter.
   */
  awaitTransform(x: unknown): unknown {
    // Strict tests only: `x != null` also asks whether x is an undetectable object (document.all),
    // a map load that makes V8's escape analysis keep a fresh awaiter it could otherwise drop.
    if (x !== null && x !== undefined && typeof (x as any).awaitReady === 'function') return x;
    return this.transformOther(x);
  }
  /**
   * Awaited by the task `parent`: start here and now, on the parent's scheduler (where it is
   * running) with its stop token, so that a child that completes without suspending makes the
   * parent's await a ready one. That is the common case, and it then costs no suspension, no
   * symmetric transfer there and back and no handle for either task. A child that suspends is
   * left waiting with the parent as its continuation; the parent's awaitSuspend (this task's)
   * finishes the handover. Nesting is bounded: beyond maxInlineDepth children run by symmetric
   * transfer, in constant stack.
   */
  private $startUnder(parent: TaskPromise<any>): void {
    if (this.life !== FRESH || inlineNesting.depth >= maxInlineDepth) return; // awaitSuspend reports misuse
    if (this.receiveEnv !== undefined) this.$receive(coroutineEnv(parent.$self()));
    this.$bind(parent.scheduler, parent.stopToken);
    this.$runNested(parent, resumeFrame, this[promiseFrame]!);
  }
  /**
   * @internal Runs `step(arg)` (which runs this task) nested in `parent`'s await, then leaves the
   * task in the state that await's awaitReady / awaitSuspend read ($i): completed (2), or
   * suspended with `parent` as its continuation, or stopped (3). Also a materialized elided
   * child's (task-elision.ts).
   */
  $runNested<A>(parent: TaskPromise<any>, step: (arg: A) => void, arg: A): void {
    this.$i = 1;
    inlineNesting.depth++;
    try {
      step(arg);
    } finally {
      inlineNesting.depth--;
      this.$i = 0;
    }
    const st = this.state;
    if (st === PENDING) {
      this.cont = parent.$self();
      this.$i = 3;
    } else {
      this.$i = st === STOPPED ? 3 : 2;
    }
  }
  private transformOther(x: unknown): unknown {
    // as_awaitable(sndr): the task's environment goes to the sender, and completions resume the
    // task through its affine handle.
    if (isSender(x)) return new SenderAwaiter(x);
    if (x instanceof ChangeScheduler) {
      const prev = this.scheduler;
      this.scheduler = x.scheduler;
      return new ChangeSchedulerAwaiter(prev, x.scheduler);
    }
    if (x != null && (typeof x === 'object' || typeof x === 'function') && typeof (x as any).then === 'function') return new PromiseAwaiter(x as PromiseLike<unknown>);
    if (isGeneratorObject(x)) throw new CoroutineError(this.name, unloweredCoroutineMessage(`task '${this.name}' awaited with yield*`, 'a Task or an awaiter'));
    throw new CoroutineError(this.name, `task '${this.name}' awaited ${x === null ? 'null' : typeof x}, which is not a Task, sender, awaiter or promise`);
  }

  /**
   * Called after every await that completed without the task really suspending. Every
   * stepBudget-th one in a row, a task on a scheduler that is not inline yields to it once before
   * it takes the result, so a task that keeps completing inline does not starve other work.
   */
  afterInlineAwait(): Awaiter<void> | null {
    if (--this.left > 0) return null;
    return this.$budgetSpent();
  }
  private $budgetSpent(): Awaiter<void> | null {
    this.left = TaskPromise.stepBudget;
    return this.scheduler.inline === true ? null : budgetYield;
  }

  /** @internal Called once the frame is gone: the awaiting coroutine to transfer to, or null (it has none, or it is running this task inside its await; a receiver is told). */
  $complete(): CoroutineHandle<any> | null {
    if (this.$i === 1) return null;
    const cont = this.cont;
    if (cont === null) {
      this.$notifyReceiver();
      return null;
    }
    this.cont = null;
    const pp = cont.promise;
    const ps: TaskScheduler | undefined = pp == null ? undefined : pp.scheduler;
    if (ps === undefined || ps.inline === true) return cont;
    if (ps !== this.scheduler && currentScheduler() !== ps) {
      ps.schedule(cont);
      return null;
    }
    if (pp instanceof TaskPromise && --pp.left <= 0) {
      pp.left = TaskPromise.stepBudget;
      yieldTo(ps, cont);
      return null;
    }
    return cont;
  }
  /** @internal */
  $notifyReceiver(): void {
    const r = this.receiver;
    if (r !== null) {
      this.receiver = null;
      r.taskDone(this);
    }
  }
  /** Whether the task completed (with a value, an error or as stopped). */
  get done(): boolean {
    return this.state !== PENDING;
  }
  /** Whether the task completed as stopped. */
  get stopped(): boolean {
    return this.state === STOPPED;
  }
  /**
   * Lowered code passes the awaiting coroutine's frame (coroutine-abi.md §5). When that is a
   * running task, this task starts inside the await ($startUnder) and is ready if it completed
   * there. Awaited by anything else (another promise type, a runtime helper, a direct call) it is
   * not ready, and awaitSuspend starts it by symmetric transfer.
   *
   * `elided` is set when the awaiting code is the body of an elided child task running for
   * `awaiting` (task-elision.ts): this task starts under `awaiting` then, whose scheduler and stop
   * token the elided child shares, unless its receiveEnv would see the difference (the frame
   * allocator in the environment); then the elided child materializes and awaits it itself.
   */
  awaitReady(awaiting?: CoroutineFrame, elided?: number): boolean {
    if (this.$i === 0 && awaiting instanceof CoroutineFrame && awaiting.$s === RUNNING && awaiting.$p instanceof TaskPromise && (elided === undefined || this.receiveEnv === undefined)) this.$startUnder(awaiting.$p);
    return this.$i === 2;
  }
  awaitSuspend(parent: CoroutineHandle<any>): CoroutineHandle<any> | boolean {
    if (this.$i === 3) {
      // Started inside this await by awaitReady, where it suspended (its continuation is set) or
      // stopped: stay suspended, and when it stopped, stop the awaiting task now, as
      // unhandledStopped would have made it.
      this.$i = 0;
      if (this.state === STOPPED) {
        this.cont = null;
        stopCoroutine(parent);
      } else {
        // Usually the coroutine that started it; an elided child that materialized after
        // starting it in its own await (task-elision.ts) is the one awaiting it now.
        this.cont = parent;
      }
      return true;
    }
    if (this.life === DISPOSED) throw new CoroutineError(this.name, `task '${this.name}' was disposed before it started; it cannot be awaited`);
    if (this.life === STARTED) throw new CoroutineError(this.name, `task '${this.name}' was already started; a task can be awaited once`);
    if (this.receiveEnv !== undefined) this.$receive(coroutineEnv(parent));
    this.$bind(schedulerOf(parent), stopTokenOf(parent));
    this.cont = parent;
    return this.$self();
  }
  /**
   * @internal receiveEnv, before the task is marked started: when it throws, the task never runs,
   * its frame goes back to its allocator, and whoever was starting it gets the exception.
   */
  $receive(env: Env): void {
    try {
      this.receiveEnv!(env);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }
  /** @internal Starts the task under an awaiting coroutine that runs on `scheduler` with `token`. */
  $bind(scheduler: TaskScheduler, token: StopToken): void {
    this.life = STARTED;
    this.scheduler = scheduler;
    this.stopToken = token;
  }
  awaitResume(): T {
    this.$i = 0;
    if (this.state === ERROR) throw this.value;
    // Only an awaiter whose promise type has no unhandledStopped() is resumed after a stop.
    if (this.state === STOPPED) throw new StoppedError(this.name, 'stopped-awaiter');
    return this.value as T;
  }
  /** Starts the task with no awaiting coroutine; `receiver.taskDone` runs when it completes. */
  start(receiver: TaskReceiver, scheduler: TaskScheduler = eventLoopScheduler, token: StopToken = neverStopToken): void {
    if (this.life === DISPOSED) throw new CoroutineError(this.name, `task '${this.name}' was disposed before it started; it cannot be started`);
    if (this.life === STARTED) throw new CoroutineError(this.name, `task '${this.name}' was already started; a task runs once`);
    if (this.receiveEnv !== undefined) this.$receive(envWith(getEnv(receiver as { getEnv?(): Env }), [getScheduler, scheduler], [getStopToken, token]));
    this.life = STARTED;
    this.receiver = receiver;
    this.scheduler = scheduler;
    this.stopToken = token;
    scheduler.schedule(this.$self());
  }
  /**
   * Destroys a task nobody started, so its frame goes back to its allocator: what `~task()` does
   * for a task that was never awaited (a bounded or pooled allocator counts the frame until then).
   * `using t = child()` calls it at the end of the scope. A started task belongs to whoever
   * awaits it, so this does nothing to it, nor to a task already disposed.
   */
  dispose(): void {
    if (this.life !== FRESH) return;
    this.life = DISPOSED;
    this.$self().destroy();
  }
  [Symbol.dispose](): void {
    this.dispose();
  }
  /** Only reached when un-lowered code iterates a task; see Task. */
  [Symbol.iterator](): Iterator<unknown, T, any> {
    return notLowered.call(this);
  }
  /**
   * A task is a sender ([task.class]): connected to a receiver, it starts on the scheduler of the
   * receiver's environment (inline when it names none) with the receiver's stop token, and
   * completes on the channel of its outcome.
   */
  connect(receiver: Receiver<T>): OperationState {
    return new TaskOperation(this, receiver);
  }
  /** The outcome once done: `{ status: 'value', value }`, `{ status: 'error', error }` or `{ status: 'stopped' }`. */
  get outcome(): TaskOutcome<T> | undefined {
    if (this.state === VALUE) return { status: 'value', value: this.value as T };
    if (this.state === ERROR) return { status: 'error', error: this.value };
    if (this.state === STOPPED) return { status: 'stopped' };
    return undefined;
  }
}

function yieldTo(s: TaskScheduler, h: Resumable): void {
  if (s.yieldNow !== undefined) s.yieldNow(h);
  else s.schedule(h);
}

/**
 * The return type of a task coroutine: `function* f(): Task<T>`. Only an optional promise-type key
 * and an iterator signature, so that TypeScript accepts it as a generator's return type and types
 * `yield* task` as T; the object behind it is a TaskObject. Run a task from plain code with
 * syncWait(task), toPromise(task) or startTask(task, receiver).
 *
 * `Task<T, P>` is P3552's `task<T, Environment>`: P is a class derived from TaskPromise that the
 * coroutine's frame gets as its promise. What the Environment type customises is P's: its static
 * `allocatorType` / `frameAllocator` (the frame allocation), its `getEnv()` (the queries the task
 * answers besides its scheduler, stop token and allocator) and `receiveEnv(env)` (constructing
 * that state from the environment the task starts in).
 */
export interface Task<T = void, P extends TaskPromise<T> = TaskPromise<T>> {
  readonly [promiseType]?: P;
  /** Type-only: makes `yield* task` type-check as T. Lowered code never iterates a task. */
  [Symbol.iterator](): Iterator<unknown, T, any>;
}

/** An awaiter typed for `yield*` in source (see Task for why the iterator signature is there). */
export interface Awaitable<T> extends Awaiter<T> {
  [Symbol.iterator](): Iterator<unknown, T, any>;
}

function notLowered(this: { name?: string }): never {
  throw new TypeError(`'${this.name ?? 'awaitable'}' was iterated: yield* on a task or awaiter only works in a coroutine lowered by the corosplit transformer`);
}

/**
 * The object behind a Task. A task's promise is its own return object (as the awaiter, the sender
 * and the handle-free state of the task), so starting a task allocates it once; TaskObject names
 * it where code means the task rather than its promise type.
 */
export const TaskObject = TaskPromise;
export type TaskObject<T = void> = TaskPromise<T>;

Object.defineProperty(TaskPromise.prototype, senderTag, { value: true });

class TaskOperation<T> implements OperationState, TaskReceiver {
  constructor(
    private readonly task: TaskObject<T>,
    private readonly r: Receiver<T>,
  ) {}
  start(): void {
    const env = getEnv(this.r);
    this.task.start(this, getScheduler(env) ?? inlineScheduler, getStopToken(env));
  }
  /** The receiver's environment: what a task's receiveEnv sees when it starts for this operation. */
  getEnv(): Env {
    return getEnv(this.r);
  }
  taskDone(p: TaskPromise<any>): void {
    if (p.state === VALUE) this.r.setValue(p.value as T);
    else if (p.state === ERROR) this.r.setError(p.value);
    else this.r.setStopped();
  }
}

export type TaskOutcome<T> = { status: 'value'; value: T } | { status: 'error'; error: unknown } | { status: 'stopped' };

/**
 * The promise type of Lazy<T>: a Task without scheduler affinity (it runs on whoever resumes it).
 * Like a task's, it is its own return object.
 */
export class LazyPromise<T = void> extends TaskPromise<T> {
  override getReturnObject(): Lazy<T> {
    return this as unknown as Lazy<T>;
  }
  override $bind(_scheduler: TaskScheduler, token: StopToken): void {
    super.$bind(inlineScheduler, token);
  }
}
/** A lazily started coroutine returning T, resumed inline wherever its awaited work completes. */
export interface Lazy<T = void, P extends LazyPromise<T> = LazyPromise<T>> extends Task<T, P> {
  readonly [promiseType]?: P;
}
/** The object behind a Lazy (its promise; see TaskObject). */
export const LazyObject = LazyPromise;
export type LazyObject<T = void> = LazyPromise<T>;

/** The TaskObject behind a Task value; a clear error for anything else. */
export function asTask<T>(t: Task<T>): TaskObject<T> {
  if (t instanceof TaskObject) return t;
  if (isGeneratorObject(t)) throw new TypeError(unloweredCoroutineMessage('corosplit', 'a Task'));
  throw new TypeError(`expected a Task (the return value of a task coroutine), got ${t === null ? 'null' : typeof t}`);
}

/** Starts a task with no awaiting coroutine; `receiver.taskDone` runs when it completes. */
export function startTask<T>(t: Task<T>, receiver: TaskReceiver, scheduler: TaskScheduler = eventLoopScheduler, token: StopToken = neverStopToken): void {
  asTask(t).start(receiver, scheduler, token);
}

/**
 * Destroys a task that was never awaited or started, returning its frame to its allocator (the
 * part of `~task()` JavaScript has no destructor for). Started tasks are left alone. The task
 * object also has `[Symbol.dispose]`, for `using` where the task is typed as Disposable.
 */
export function disposeTask(t: Task<any>): void {
  asTask(t).dispose();
}

/** The outcome of a completed task, or undefined while it runs. */
export function taskOutcome<T>(t: Task<T>): TaskOutcome<T> | undefined {
  return asTask(t).outcome;
}

// ---- Running tasks from plain code ---------------------------------------------------------------

class SyncWaitReceiver implements TaskReceiver {
  done = false;
  taskDone(): void {
    this.done = true;
  }
}

/**
 * Runs a task or any sender to completion on a fresh RunLoop (its environment's scheduler) and
 * returns its value; throws its error, or a StoppedError when it completed as stopped (where the
 * wording's sync_wait returns an empty optional; see docs/runtime.md). JavaScript cannot block, so
 * work still waiting for a promise or timer when the loop runs dry is an error: use toPromise.
 */
export function syncWait<T>(t: Task<T> | Sender<T>, token: StopToken = neverStopToken): T {
  if (!(t instanceof TaskObject) && isSender(t)) {
    const out = runToCompletion(t as Sender<T>, token);
    if (out.status === 'value') return out.value;
    if (out.status === 'error') throw out.error;
    if (out.status === 'stopped') throw new StoppedError('sender');
    throw new CoroutineError('sender', 'syncWait: the sender is waiting for work outside its run loop (a promise or timer); use toPromise');
  }
  const task = asTask(t as Task<T>);
  const loop = new RunLoop();
  const r = new SyncWaitReceiver();
  task.start(r, loop, token);
  loop.run(() => r.done);
  loop.finish();
  if (!r.done) {
    throw new CoroutineError(task.name, `syncWait: task '${task.name}' is waiting for work outside its run loop (a promise or timer); use toPromise`);
  }
  return settle(task);
}

function settle<T>(task: TaskObject<T>): T {
  if (task.state === ERROR) throw task.value;
  if (task.state === STOPPED) throw new StoppedError(task.name);
  return task.value as T;
}

class PromiseReceiver<T> implements TaskReceiver {
  constructor(private readonly task: TaskObject<T>, private readonly res: (v: T) => void, private readonly rej: (e: unknown) => void) {}
  taskDone(): void {
    try {
      this.res(settle(this.task));
    } catch (e) {
      this.rej(e);
    }
  }
}

/** Starts `task` on the event loop (or `scheduler`); the promise rejects with StoppedError when it stops. */
export function toPromise<T>(t: Task<T>, options: { scheduler?: TaskScheduler; stopToken?: StopToken } = {}): Promise<T> {
  const task = asTask(t);
  return new Promise<T>((res, rej) => {
    task.start(new PromiseReceiver(task, res, rej), options.scheduler ?? eventLoopScheduler, options.stopToken ?? neverStopToken);
  });
}

// ---- whenAll / whenAny -----------------------------------------------------------------------------

class ChildReceiver implements TaskReceiver {
  constructor(private readonly group: TaskGroup, readonly index: number) {}
  taskDone(p: TaskPromise<any>): void {
    this.group.childDone(this.index, p);
  }
}

// Shared by whenAll and whenAny: starts children on the awaiting task's scheduler with a stop
// source linked to its token, and resumes it once every child finished.
abstract class TaskGroup implements Awaiter<any> {
  protected h: CoroutineHandle<any> | null = null;
  protected source: LinkedStopSource | null = null;
  protected remaining: number;
  protected stopped = false;
  protected failed = false;
  protected error: unknown = undefined;
  constructor(protected readonly tasks: TaskObject<any>[]) {
    this.remaining = tasks.length;
  }
  awaitReady(): boolean {
    return this.tasks.length === 0;
  }
  awaitSuspend(h: CoroutineHandle<any>): void {
    this.h = h;
    const source = (this.source = new LinkedStopSource(stopTokenOf(h)));
    const s = schedulerOf(h);
    for (let i = 0; i < this.tasks.length; i++) this.tasks[i].start(new ChildReceiver(this, i), s, source.token);
  }
  childDone(index: number, p: TaskPromise<any>): void {
    this.onChild(index, p);
    if (--this.remaining > 0) return;
    this.source!.unlink();
    const h = this.h!;
    if (this.stopped && !this.failed) stopOn(schedulerOf(h), h);
    else h.resume();
  }
  protected abstract onChild(index: number, p: TaskPromise<any>): void;
  abstract awaitResume(): any;
}

class WhenAll extends TaskGroup {
  private readonly values: unknown[];
  constructor(tasks: TaskObject<any>[]) {
    super(tasks);
    this.values = new Array(tasks.length);
  }
  protected onChild(index: number, p: TaskPromise<any>): void {
    if (p.state === VALUE) {
      this.values[index] = p.value;
      return;
    }
    if (p.state === ERROR && !this.failed) {
      this.failed = true;
      this.error = p.value;
    } else if (p.state === STOPPED) {
      this.stopped = true;
    }
    this.source!.requestStop();
  }
  awaitResume(): any {
    if (this.failed) throw this.error;
    return this.values;
  }
  /** As a sender: the same children through the sender when_all. */
  connect(r: Receiver<unknown[]>): OperationState {
    return whenAllSenders(...(this.tasks as Sender<unknown>[])).connect(r as Receiver<any>);
  }
}
Object.defineProperty(WhenAll.prototype, senderTag, { value: true });

class WhenAny extends TaskGroup {
  private winner = -1;
  private value: unknown = undefined;
  protected onChild(index: number, p: TaskPromise<any>): void {
    if (this.winner !== -1 || p.state === STOPPED) {
      if (this.winner === -1 && p.state === STOPPED && this.remaining === 1) this.stopped = true;
      return;
    }
    this.winner = index;
    if (p.state === ERROR) {
      this.failed = true;
      this.error = p.value;
    } else {
      this.value = p.value;
    }
    this.source!.requestStop();
  }
  awaitResume(): { index: number; value: any } {
    if (this.failed) throw this.error;
    return { index: this.winner, value: this.value };
  }
}

type Values<Ts extends readonly (Task<any> | Sender<any>)[]> = { -readonly [K in keyof Ts]: Ts[K] extends Task<infer U> ? U : Ts[K] extends Sender<infer V> ? V : never };

/**
 * Runs every task (or sender) concurrently on the awaiting task's scheduler; resumes with all
 * values in order. The first error (or stop) requests a stop of the others; the error is rethrown
 * once all finished. The result is also a sender (`when_all`), so syncWait and other senders take it.
 */
export function whenAll<Ts extends readonly (Task<any> | Sender<any>)[]>(...xs: Ts): Awaitable<Values<Ts>> & Sender<Values<Ts>> {
  if (xs.every((x) => x instanceof TaskObject)) return new WhenAll(xs as unknown as TaskObject<any>[]) as unknown as Awaitable<Values<Ts>> & Sender<Values<Ts>>;
  return whenAllSenders(...(xs.map((x) => (isSender(x) ? x : asTask(x as Task<any>))) as Sender<any>[])) as unknown as Awaitable<Values<Ts>> & Sender<Values<Ts>>;
}

/**
 * Runs every task concurrently; the first to complete with a value or error wins, the others are
 * asked to stop, and the awaiting task resumes once all finished, with `{ index, value }`.
 */
export function whenAny<T>(...tasks: Task<T>[]): Awaitable<{ index: number; value: T }> {
  return new WhenAny(tasks.map(asTask)) as unknown as Awaitable<{ index: number; value: T }>;
}

/** `yield* fromThenable(p)`: a promise typed for yield* in source (a task awaits any thenable). */
export function fromThenable<T>(p: PromiseLike<T>): Awaitable<T> {
  return p as unknown as Awaitable<T>;
}

/** An awaiter for a thenable outside tasks: resumes on the awaiting coroutine's scheduler, if it has one. */
export function thenableAwaiter<T>(p: PromiseLike<T>): Awaiter<T> {
  return new PromiseAwaiter(p);
}
