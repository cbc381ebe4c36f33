// ensure_started ([exec.ensure.started] in P2300R7; split's eager sibling): starts the sender at
// once, keeps its completion, and hands it to the one receiver connected later (at once if it has
// already arrived, else when it does).
import { StopSource } from '../stop.js';
import { envWith, getStopToken, type Env } from './env.js';
import { connect, deliver, PENDING, SenderBase, STOPPED, VALUE, ERROR, type OperationState, type Receiver, type Sender, type SenderLike } from './sender.js';


class EnsureStarted<T> extends SenderBase<T> implements Receiver<T> {
  private state = PENDING;
  private result: unknown = undefined;
  private waiter: Receiver<T> | null = null;
  private connected = false;
  private readonly source = new StopSource();
  private readonly env: Env;
  constructor(child: SenderLike<T>, env: Env | undefined) {
    super();
    this.env = envWith(env, [getStopToken, this.source.token]);
    connect(child, this).start();
  }
  /** Asks the running work to stop (the owner dropped interest). */
  requestStop(): void {
    this.source.requestStop();
  }
  connect(r: Receiver<T>): OperationState {
    if (this.connected) throw new TypeError('ensureStarted: the sender was already connected; it completes once, for one receiver');
    this.connected = true;
    return {
      start: () => {
        if (this.state === PENDING) this.waiter = r;
        else deliver(r, this.state, this.result);
      },
    };
  }
  private settle(state: number, result: unknown): void {
    if (this.state !== PENDING) return;
    this.state = state;
    this.result = result;
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      deliver(w, state, result);
    }
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
  getEnv(): Env {
    return this.env;
  }
}

/** `ensure_started(sndr)`: starts sndr now; the sender returned completes with its result. */
export function ensureStarted<T>(sender: SenderLike<T>, env?: Env): Sender<T> & { requestStop(): void } {
  return new EnsureStarted(sender, env);
}
