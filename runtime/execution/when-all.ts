// when_all ([exec.when.all]): starts every child; completes with all values in order once all
// have completed. The first error or stop requests a stop of the others (through a stop source
// linked to the receiver's token, which the children see in their environment), and the whole
// operation then completes with that error, or as stopped.
import { StopSource, type StopToken } from '../stop.js';
import { envWith, getEnv, getStopToken, type Env } from './env.js';
import { connect, SenderBase, type OperationState, type Receiver, type Sender, type ValueOf } from './sender.js';

const RUNNING = 0;
const FAILED = 1;
const STOPPED = 2;

class WhenAllSender<T extends unknown[]> extends SenderBase<T> {
  constructor(private readonly children: readonly Sender<unknown>[]) {
    super();
  }
  connect(r: Receiver<T>): OperationState {
    return new WhenAllOp<T>(this.children, r);
  }
}

class ChildReceiver implements Receiver<unknown> {
  constructor(
    private readonly op: WhenAllOp<any>,
    private readonly index: number,
  ) {}
  setValue(v: unknown): void {
    this.op.values[this.index] = v;
    this.op.arrive();
  }
  setError(e: unknown): void {
    this.op.fail(e);
  }
  setStopped(): void {
    this.op.stop();
  }
  getEnv(): Env {
    return this.op.childEnv;
  }
}

class WhenAllOp<T extends unknown[]> implements OperationState {
  readonly values: unknown[];
  readonly childEnv: Env;
  private readonly source = new StopSourceSlot();
  private readonly ops: OperationState[];
  private remaining: number;
  private state = RUNNING;
  private error: unknown = undefined;
  constructor(
    children: readonly Sender<unknown>[],
    private readonly r: Receiver<T>,
  ) {
    this.values = new Array(children.length);
    this.remaining = children.length;
    this.childEnv = envWith(getEnv(r), [getStopToken, this.source.own.token]);
    this.ops = children.map((c, i) => connect(c, new ChildReceiver(this, i)));
  }
  start(): void {
    if (this.ops.length === 0) {
      this.r.setValue([] as unknown as T);
      return;
    }
    this.source.link(getStopToken(getEnv(this.r)));
    for (const op of this.ops) op.start();
  }
  fail(e: unknown): void {
    if (this.state === RUNNING) {
      this.state = FAILED;
      this.error = e;
      this.source.own.requestStop();
    }
    this.arrive();
  }
  stop(): void {
    if (this.state === RUNNING) {
      this.state = STOPPED;
      this.source.own.requestStop();
    }
    this.arrive();
  }
  arrive(): void {
    if (--this.remaining > 0) return;
    this.source.unlink();
    if (this.state === FAILED) this.r.setError(this.error);
    else if (this.state === STOPPED) this.r.setStopped();
    else this.r.setValue(this.values as T);
  }
}

/**
 * The children's stop source: its own, stopped by a failing child, and linked to the receiver's
 * token only between start and completion (a connected operation that never starts leaves no
 * registration behind).
 */
class StopSourceSlot {
  readonly own = new StopSource();
  private upstream: { unsubscribe(): void } | null = null;
  link(token: StopToken): void {
    if (token.stopPossible) this.upstream = token.subscribe(() => this.own.requestStop());
  }
  unlink(): void {
    this.upstream?.unsubscribe();
    this.upstream = null;
  }
}

type Values<Ss extends readonly Sender<any>[]> = { -readonly [K in keyof Ss]: ValueOf<Ss[K]> };

/** `when_all(sndrs...)`: all values, in order; the first error or stop stops the others. */
export function whenAllSenders<Ss extends readonly Sender<any>[]>(...senders: Ss): Sender<Values<Ss>> {
  return new WhenAllSender<Values<Ss> & unknown[]>(senders) as unknown as Sender<Values<Ss>>;
}
