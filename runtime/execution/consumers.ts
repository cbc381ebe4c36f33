// Running a sender from plain code ([exec.consumers]): syncWait drives a run loop until the sender
// completes; startDetached runs one with nobody waiting.
import { RunLoop } from '../scheduler.js';
import { neverStopToken, type StopToken } from '../stop.js';
import { envWith, getScheduler, getStopToken, type Env } from './env.js';
import { connect, type Receiver, type Sender } from './sender.js';

export type SenderOutcome<T> = { status: 'value'; value: T } | { status: 'error'; error: unknown } | { status: 'stopped' } | { status: 'pending' };

class WaitReceiver<T> implements Receiver<T> {
  outcome: SenderOutcome<T> = { status: 'pending' };
  constructor(private readonly env: Env) {}
  setValue(value: T): void {
    this.outcome = { status: 'value', value };
  }
  setError(error: unknown): void {
    this.outcome = { status: 'error', error };
  }
  setStopped(): void {
    this.outcome = { status: 'stopped' };
  }
  getEnv(): Env {
    return this.env;
  }
}

/**
 * The outcome of running `sender` on a fresh RunLoop (its environment's scheduler) until it
 * completes; 'pending' when it still waits for work outside the loop (a promise or timer).
 * syncWait throws on 'error', 'stopped' and 'pending'.
 */
export function runToCompletion<T>(sender: Sender<T>, token: StopToken = neverStopToken): SenderOutcome<T> {
  const loop = new RunLoop();
  const r = new WaitReceiver<T>(envWith(undefined, [getScheduler, loop], [getStopToken, token]));
  connect(sender, r).start();
  loop.run(() => r.outcome.status !== 'pending');
  loop.finish();
  return r.outcome;
}

class DetachedReceiver implements Receiver<unknown> {
  constructor(private readonly env: Env) {}
  setValue(): void {}
  setError(error: unknown): void {
    // Nobody waits for it: surface the error like an uncaught exception.
    queueMicrotask(() => {
      throw error;
    });
  }
  setStopped(): void {}
  getEnv(): Env {
    return this.env;
  }
}
/** `start_detached(sndr)`: starts it with nobody waiting; an error surfaces as an uncaught exception. */
export function startDetached(sender: Sender<unknown>, env?: Env): void {
  connect(sender, new DetachedReceiver(env ?? envWith(undefined))).start();
}
