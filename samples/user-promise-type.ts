// A user-defined promise type: Seq<T>, a synchronous sequence in the style of C++'s std::generator,
// built on the coroutine ABI rather than JavaScript's generator protocol. `yield v` calls
// SeqPromise.yieldValue(v), which stores v and suspends; the consumer's next() resumes the
// coroutine. Closing a Seq early destroys the suspended coroutine, which runs its pending finally
// blocks. Frames come from a pool shared by every Seq coroutine.
import { CoroutineHandle, PoolAllocator, promiseType, suspendAlways, type Awaiter } from 'corosplit/runtime';

/** The return type of a sequence coroutine: `function* f(): Seq<T>`. */
export interface Seq<T> extends Iterable<T> {
  readonly [promiseType]?: SeqPromise<T>;
  [Symbol.iterator](): Iterator<T, void, undefined>;
}

export class SeqPromise<T> {
  static frameAllocator = new PoolAllocator();
  value: T | undefined = undefined;
  error: unknown = undefined;
  getReturnObject(): Seq<T> {
    return new SeqObject(CoroutineHandle.fromPromise(this));
  }
  initialSuspend(): Awaiter<void> {
    return suspendAlways; // lazy: nothing runs until the first next()
  }
  yieldValue(v: T): Awaiter<void> {
    this.value = v;
    return suspendAlways;
  }
  returnVoid(): void {}
  unhandledException(e: unknown): void {
    this.error = e;
  }
  finalSuspend(): Awaiter<void> {
    return suspendAlways; // stay at the final suspend point; the consumer destroys the frame
  }
}

/** The object behind a Seq: an iterator that resumes the coroutine once per element. */
class SeqObject<T> implements Seq<T>, Iterator<T, void, undefined> {
  private h: CoroutineHandle<SeqPromise<T>> | null;
  constructor(h: CoroutineHandle<SeqPromise<T>>) {
    this.h = h;
  }
  [Symbol.iterator](): Iterator<T, void, undefined> {
    return this;
  }
  next(): IteratorResult<T, void> {
    const h = this.h;
    if (h === null) return { value: undefined, done: true };
    h.resume();
    const p = h.promise;
    if (h.done()) {
      const error = p.error;
      this.return();
      if (error !== undefined) throw error;
      return { value: undefined, done: true };
    }
    return { value: p.value as T, done: false };
  }
  /** Early exit (break out of for-of): destroys the coroutine, running its pending finally blocks. */
  return(): IteratorResult<T, void> {
    const h = this.h;
    this.h = null;
    if (h !== null) h.destroy();
    return { value: undefined, done: true };
  }
}

export function* range(from: number, to: number): Seq<number> {
  for (let i = from; i < to; i++) yield i;
}

export function* primes(log: string[]): Seq<number> {
  try {
    for (let n = 2; ; n++) {
      let prime = true;
      for (const p of range(2, n)) {
        if (p * p > n) break;
        if (n % p === 0) {
          prime = false;
          break;
        }
      }
      if (prime) yield n;
    }
  } finally {
    log.push('primes: finally ran on destroy');
  }
}

export function* mapped<T, U>(src: Iterable<T>, fn: (x: T) => U): Seq<U> {
  for (const x of src) yield fn(x);
}

export function main(): string[] {
  const out: string[] = [];
  out.push(`range: ${[...range(0, 5)].join(' ')}`);
  const log: string[] = [];
  const first: number[] = [];
  for (const p of primes(log)) {
    if (first.length === 10) break;
    first.push(p);
  }
  out.push(`primes: ${first.join(' ')}`);
  out.push(...log);
  out.push(`squares: ${[...mapped(range(1, 6), (x) => x * x)].join(' ')}`);
  out.push(`pooled frames: ${SeqPromise.frameAllocator.pooled}, live: ${SeqPromise.frameAllocator.live}`);
  return out;
}

console.log(main().join('\n'));
