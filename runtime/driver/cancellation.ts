// CancellationToken with subscribe/unsubscribe (kcoro::cancellation_token): a stop source under a
// driver-flavoured name, so awaiters written for tasks and for drivers share one mechanism.
import { StopSource, type StopRegistration } from '../stop.js';

export type CancellationSubscription = StopRegistration;

export class CancellationToken extends StopSource {
  get cancelled(): boolean {
    return this.stopRequested;
  }
  /** Calls `cb` once on cancel (at once if already cancelled). */
  subscribe(cb: () => void): CancellationSubscription {
    return this.token.subscribe(cb);
  }
  unsubscribe(sub: CancellationSubscription): void {
    sub.unsubscribe();
  }
  cancel(): boolean {
    return this.requestStop();
  }
}
