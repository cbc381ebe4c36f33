// Sender adaptors ([exec.adapt]): thenValue (the wording's `then`), uponError, uponStopped,
// letValue, letError, letStopped. Each connects its child with a receiver that forwards what it
// does not handle; the environment passes through unchanged.
//
// `then` is exported as `thenValue`: an ES module that exports `then` makes its namespace object a
// thenable, so `await import('corosplit/runtime')` would call it.
import { getEnv, type Env } from './env.js';
import { connect, ERROR, SenderBase, STOPPED, VALUE, type OperationState, type Receiver, type Sender, type SenderLike } from './sender.js';

/** Forwards every channel and the environment; subclasses take over one channel. */
class Forward<T, U> implements Receiver<T> {
  constructor(protected readonly r: Receiver<U>) {}
  setValue(v: T): void {
    this.r.setValue(v as unknown as U);
  }
  setError(e: unknown): void {
    this.r.setError(e);
  }
  setStopped(): void {
    this.r.setStopped();
  }
  getEnv(): Env {
    return getEnv(this.r);
  }
}

/** Calls f and sends its result on the value channel, or what it threw on the error channel. */
function sendResult<U>(r: Receiver<U>, f: (x: any) => U, x: unknown): void {
  let out: U;
  try {
    out = f(x);
  } catch (e) {
    r.setError(e);
    return;
  }
  r.setValue(out);
}

class ThenReceiver<T, U> extends Forward<T, U> {
  constructor(r: Receiver<U>, private readonly f: (v: T) => U) {
    super(r);
  }
  override setValue(v: T): void {
    sendResult(this.r, this.f, v);
  }
}
class UponErrorReceiver<T, U> extends Forward<T, T | U> {
  constructor(r: Receiver<T | U>, private readonly f: (e: unknown) => U) {
    super(r);
  }
  override setError(e: unknown): void {
    sendResult(this.r, this.f, e);
  }
}
class UponStoppedReceiver<T, U> extends Forward<T, T | U> {
  constructor(r: Receiver<T | U>, private readonly f: () => U) {
    super(r);
  }
  override setStopped(): void {
    sendResult(this.r, this.f, undefined);
  }
}

class Adapted<T, U> extends SenderBase<U> {
  constructor(
    private readonly child: SenderLike<T>,
    private readonly wrap: (r: Receiver<U>) => Receiver<T>,
  ) {
    super();
  }
  connect(r: Receiver<U>): OperationState {
    return connect(this.child, this.wrap(r));
  }
}

/** `then(sndr, f)`: the value f returns for sndr's value (errors from f go to the error channel). */
export function thenValue<T, U>(sender: SenderLike<T>, f: (value: T) => U): Sender<U> {
  return new Adapted<T, U>(sender, (r) => new ThenReceiver(r, f));
}
/** `upon_error(sndr, f)`: sndr's error turned into a value by f. */
export function uponError<T, U>(sender: SenderLike<T>, f: (error: unknown) => U): Sender<T | U> {
  return new Adapted<T, T | U>(sender, (r) => new UponErrorReceiver<T, U>(r, f));
}
/** `upon_stopped(sndr, f)`: sndr's stopped completion turned into a value by f. */
export function uponStopped<T, U>(sender: SenderLike<T>, f: () => U): Sender<T | U> {
  return new Adapted<T, T | U>(sender, (r) => new UponStoppedReceiver<T, U>(r, f));
}


class Let<T, U> extends SenderBase<U> {
  constructor(
    private readonly child: SenderLike<T>,
    private readonly channel: number,
    private readonly f: (x: any) => Sender<U>,
  ) {
    super();
  }
  connect(r: Receiver<U>): OperationState {
    return new LetOp<T, U>(this.child, this.channel, this.f, r);
  }
}
/** The operation of let_*: the child's operation, then (on the chosen channel) the sender f returned. */
class LetOp<T, U> implements OperationState, Receiver<T> {
  private readonly first: OperationState;
  constructor(
    child: SenderLike<T>,
    private readonly channel: number,
    private readonly f: (x: any) => Sender<U>,
    private readonly r: Receiver<U>,
  ) {
    this.first = connect(child, this);
  }
  start(): void {
    this.first.start();
  }
  private next(x: unknown): void {
    let op: OperationState;
    try {
      op = connect(this.f(x), this.r);
    } catch (e) {
      this.r.setError(e);
      return;
    }
    op.start();
  }
  setValue(v: T): void {
    if (this.channel === VALUE) this.next(v);
    else this.r.setValue(v as unknown as U);
  }
  setError(e: unknown): void {
    if (this.channel === ERROR) this.next(e);
    else this.r.setError(e);
  }
  setStopped(): void {
    if (this.channel === STOPPED) this.next(undefined);
    else this.r.setStopped();
  }
  getEnv(): Env {
    return getEnv(this.r);
  }
}

/** `let_value(sndr, f)`: continues with the sender f returns for sndr's value. */
export function letValue<T, U>(sender: SenderLike<T>, f: (value: T) => Sender<U>): Sender<U> {
  return new Let<T, U>(sender, VALUE, f);
}
/** `let_error(sndr, f)`: on error, continues with the sender f returns for it. */
export function letError<T, U>(sender: SenderLike<T>, f: (error: unknown) => Sender<U>): Sender<T | U> {
  return new Let<T, T | U>(sender, ERROR, f as (x: any) => Sender<T | U>);
}
/** `let_stopped(sndr, f)`: when stopped, continues with the sender f returns. */
export function letStopped<T, U>(sender: SenderLike<T>, f: () => Sender<U>): Sender<T | U> {
  return new Let<T, T | U>(sender, STOPPED, f as (x: any) => Sender<T | U>);
}
