// A recording promise type and awaiters for protocol tests: every protocol call appends to a log,
// so tests assert the exact order the runtime drives the promise type in.
import { CoroutineHandle, HeapAllocator, type Awaiter, type CoroutineFrame, type FrameClass } from '../../runtime/index.js';

export class RecordingAwaiter implements Awaiter<unknown> {
  constructor(
    readonly log: string[],
    readonly name: string,
    readonly ready: boolean,
    readonly suspendResult: (h: CoroutineHandle<any>) => unknown = () => undefined,
    readonly value: unknown = undefined,
  ) {}
  awaitReady(): boolean {
    this.log.push(`${this.name}.awaitReady`);
    return this.ready;
  }
  awaitSuspend(h: CoroutineHandle<any>): any {
    this.log.push(`${this.name}.awaitSuspend`);
    return this.suspendResult(h);
  }
  awaitResume(): unknown {
    this.log.push(`${this.name}.awaitResume`);
    return this.value;
  }
}

export interface RecordingOptions {
  initialReady?: boolean;
  finalReady?: boolean;
  rethrow?: boolean;
  getReturnObjectThrows?: boolean;
}

/** The return object of a recorded coroutine. */
export class Recorded {
  constructor(readonly promise: RecordingPromise) {}
  get handle(): CoroutineHandle<RecordingPromise> {
    return CoroutineHandle.fromPromise(this.promise);
  }
}

export class RecordingPromise {
  static options: RecordingOptions = {};
  static log: string[] = [];
  result: unknown = undefined;
  error: unknown = undefined;
  readonly log: string[];
  readonly opts: RecordingOptions;
  constructor(...params: unknown[]) {
    this.log = RecordingPromise.log;
    this.opts = RecordingPromise.options;
    this.log.push(`promise(${params.map((p) => (Array.isArray(p) ? 'log' : String(p))).join(',')})`);
  }
  getReturnObject(): Recorded {
    this.log.push('getReturnObject');
    if (this.opts.getReturnObjectThrows) throw new Error('no return object');
    return new Recorded(this);
  }
  initialSuspend(): Awaiter<unknown> {
    this.log.push('initialSuspend');
    return new RecordingAwaiter(this.log, 'initial', this.opts.initialReady ?? false);
  }
  awaitTransform(x: unknown): unknown {
    this.log.push('awaitTransform');
    return x;
  }
  yieldValue(v: unknown): Awaiter<unknown> {
    this.log.push(`yieldValue(${String(v)})`);
    return new RecordingAwaiter(this.log, 'yield', false);
  }
  returnValue(v: unknown): void {
    this.log.push(`returnValue(${String(v)})`);
    this.result = v;
  }
  returnVoid(): void {
    this.log.push('returnVoid');
  }
  unhandledException(e: unknown): void {
    this.log.push(`unhandledException(${(e as Error).message})`);
    this.error = e;
    if (this.opts.rethrow) throw e;
  }
  finalSuspend(): Awaiter<unknown> {
    this.log.push('finalSuspend');
    return new RecordingAwaiter(this.log, 'final', this.opts.finalReady ?? false);
  }
}

/** A heap allocator that logs allocate/free into a log. */
export class RecordingAllocator extends HeapAllocator {
  constructor(readonly log: string[]) {
    super();
  }
  override allocate<L extends object>(cls: FrameClass<L>): CoroutineFrame<L> | null {
    this.log.push(`allocate(${(cls.prototype as any).$name})`);
    return super.allocate(cls);
  }
  override free(f: CoroutineFrame): void {
    this.log.push(`free(${f.$name})`);
    super.free(f);
  }
}
