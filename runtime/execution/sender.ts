// The sender/receiver protocol ([exec.snd], [exec.recv], [exec.opstate]): a sender describes work;
// connect(sender, receiver) makes an operation state; start(op) runs it; the work completes by
// calling exactly one of the receiver's three channels. Senders are lazy: nothing happens before
// start. Every algorithm in this folder is a sender class with a connect method, so composing
// allocates one object per algorithm and per connection, and no closure per completion.
import type { promiseType } from '../coroutine.js';
import type { Env } from './env.js';

/** The receiver's completion channels and its environment. Exactly one channel is called, once. */
export interface Receiver<T = unknown> {
  setValue(value: T): void;
  setError(error: unknown): void;
  setStopped(): void;
  getEnv?(): Env;
}

/** An operation state: connected work, run by start(). */
export interface OperationState {
  start(): void;
}

/** Marks senders (sender_concept); isSender tests for it. */
export const senderTag: unique symbol = Symbol('corosplit.sender') as any;

/**
 * A sender of a T. The iterator signature is type-only (as for Task): it types `yield* sender` in a
 * task as T. Lowered tasks await senders through asAwaitable and never iterate them.
 */
export interface Sender<T = unknown> {
  readonly [senderTag]: true;
  connect(receiver: Receiver<T>): OperationState;
  [Symbol.iterator](): Iterator<unknown, T, any>;
}

/**
 * What the algorithms accept: a sender, or a Task (whose object is a sender at run time). A Task
 * is typed by its promise-type key and iterator signature only (a generator must be assignable to
 * it), so this is the same shape; connect() rejects anything that is not a sender when it runs.
 */
export type SenderLike<T = unknown> = Sender<T> | { readonly [promiseType]?: unknown; [Symbol.iterator](): Iterator<unknown, T, any> };

/** The value type a sender (or task) sends. */
export type ValueOf<S> = S extends Sender<infer T> ? T : S extends { [Symbol.iterator](): Iterator<unknown, infer U, any> } ? U : never;

/** Base class of the runtime's senders. */
export abstract class SenderBase<T> implements Sender<T> {
  declare readonly [senderTag]: true;
  abstract connect(receiver: Receiver<T>): OperationState;
  /** Only reached when un-lowered code iterates a sender. */
  [Symbol.iterator](): Iterator<unknown, T, any> {
    throw new TypeError('a sender was iterated: yield* on a sender only works in a task lowered by the corosplit transformer');
  }
}
Object.defineProperty(SenderBase.prototype, senderTag, { value: true });

export function isSender(x: unknown): x is Sender<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && (x as Record<symbol, unknown>)[senderTag] === true && typeof (x as Sender).connect === 'function';
}

/** `connect(sndr, rcvr)`, with a clear error for something that is not a sender. */
export function connect<T>(sender: SenderLike<T>, receiver: Receiver<T>): OperationState {
  if (!isSender(sender)) throw new TypeError(`connect: expected a sender or a Task, got ${sender === null ? 'null' : typeof sender}`);
  return (sender as Sender<T>).connect(receiver);
}

/** A completion not there yet, and the three channels one can arrive on (for operations that keep one). */
export const PENDING = 0;
export const VALUE = 1;
export const ERROR = 2;
export const STOPPED = 3;

/** Sends a kept completion (`channel` VALUE, ERROR or STOPPED) to `r`. */
export function deliver<T>(r: Receiver<T>, channel: number, result: unknown): void {
  if (channel === VALUE) r.setValue(result as T);
  else if (channel === ERROR) r.setError(result);
  else r.setStopped();
}

/** `start(op)`. */
export function start(op: OperationState): void {
  op.start();
}
