// The loopback function driver (seed 000's "function" sample) on corosplit coroutines: a 1 MiB
// buffer shared by every handle. A read completes at once when there is data and pends when the
// buffer is empty; a write completes at once when it fits and pends until readers make room.
// Closing a handle cancels its pending requests. Each read/write is served by a coroutine
// (`function*` returning Dispatch) whose frame comes from a BoundedAllocator passed with
// allocatorArg; when it is exhausted the request completes with InsufficientResources.
//
// `npm run build` lowers this file with the ts-patch plugin (samples/loopback-device/tsconfig.json)
// into samples/loopback-device/build/loopback.js, which the server, the load test and the tests run.
import {
  BoundedAllocator,
  Device,
  FilterDevice,
  Major,
  callLowerAndWait,
  ntSuccess,
  RequestWaitQueue,
  Status,
  allocatorArg,
  dispatchAllocationFailed,
  type AllocatorArg,
  type Dispatch,
  type FrameAllocator,
  type Request,
  type StatusCode,
} from 'corosplit/runtime';

export const IOCTL_STATS = 0x220004;
const RECORD_CHECK = 2654435761;

export interface LoopbackOptions {
  /** Buffer size in bytes; default 1 MiB. */
  capacity?: number;
  /** Frames for serving coroutines, split between reads and writes; default 256. */
  frames?: number;
  /**
   * Treat data as 8-byte records (u32 index, u32 index*2654435761) and track that every accepted
   * record is delivered exactly once (used by the load test).
   */
  audit?: boolean;
}

export class LoopbackDevice extends Device {
  readonly capacity: number;
  private readonly buf: Uint8Array;
  private head: number;
  used: number;
  readonly readers: RequestWaitQueue;
  readonly writers: RequestWaitQueue;
  readonly readFrames: BoundedAllocator;
  readonly writeFrames: BoundedAllocator;
  bytesAccepted: number;
  bytesDelivered: number;
  private pumping: boolean;
  private again: boolean;
  private readonly audit: Audit | null;

  constructor(options: LoopbackOptions = {}) {
    super('loopback');
    this.capacity = options.capacity ?? 1 << 20;
    this.buf = new Uint8Array(this.capacity);
    this.head = 0;
    this.used = 0;
    this.readers = new RequestWaitQueue();
    this.writers = new RequestWaitQueue();
    // One frame budget per direction: readers parked on an empty buffer hold their frames, and
    // with a shared budget they could take every frame and starve the writers that would wake them.
    const frames = options.frames ?? 256;
    this.readFrames = new BoundedAllocator(Math.ceil(frames / 2));
    this.writeFrames = new BoundedAllocator(Math.floor(frames / 2));
    this.bytesAccepted = 0;
    this.bytesDelivered = 0;
    this.pumping = false;
    this.again = false;
    this.audit = options.audit ? new Audit() : null;
  }
  get free(): number {
    return this.capacity - this.used;
  }

  override dispatchRead(req: Request): StatusCode {
    return started(req, serveRead(allocatorArg, this.readFrames, this, req));
  }
  override dispatchWrite(req: Request): StatusCode {
    return started(req, serveWrite(allocatorArg, this.writeFrames, this, req));
  }
  override dispatchDeviceControl(req: Request): StatusCode {
    if (req.ioControlCode !== IOCTL_STATS) return req.complete(Status.InvalidDeviceRequest);
    const out = new TextEncoder().encode(JSON.stringify(this.stats()));
    if (out.length > req.length) return req.complete(Status.InvalidParameter);
    req.buffer.set(out);
    return req.complete(Status.Success, out.length);
  }
  /** The handle is closing: its parked requests complete as Cancelled and their coroutines are destroyed. */
  override dispatchCleanup(req: Request): StatusCode {
    for (const q of [this.readers, this.writers]) {
      for (const e of q.removeForFile(req.file)) {
        e.req.complete(Status.Cancelled);
        e.ctx.destroy();
      }
    }
    this.pump(); // the head of the writer queue may have changed
    return req.complete(Status.Success);
  }

  /** Copies all of `src` in; the caller checked it fits. */
  put(src: Uint8Array): void {
    const cap = this.capacity;
    const tail = (this.head + this.used) % cap;
    const first = Math.min(src.length, cap - tail);
    this.buf.set(src.subarray(0, first), tail);
    if (first < src.length) this.buf.set(src.subarray(first), 0);
    this.used += src.length;
    this.bytesAccepted += src.length;
    if (this.audit !== null) this.audit.accept(src);
  }
  /** Moves up to dst.length bytes out; returns how many. */
  take(dst: Uint8Array): number {
    const n = Math.min(dst.length, this.used);
    const cap = this.capacity;
    const first = Math.min(n, cap - this.head);
    dst.set(this.buf.subarray(this.head, this.head + first), 0);
    if (first < n) dst.set(this.buf.subarray(0, n - first), first);
    this.head = (this.head + n) % cap;
    this.used -= n;
    this.bytesDelivered += n;
    if (this.audit !== null) this.audit.deliver(dst.subarray(0, n));
    return n;
  }

  /**
   * Wakes parked readers while there is data and parked writers (in order) while the oldest fits.
   * Woken coroutines call pump() again; the flag turns that into another round here instead of
   * recursion.
   */
  pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (this.used > 0 && this.readers.size > 0) this.readers.wakeOne();
        for (;;) {
          const e = this.writers.peek();
          if (e === null || e.req.length > this.free) break;
          this.writers.wakeOne();
        }
      } while (this.again);
    } finally {
      this.pumping = false;
    }
  }

  stats(): object {
    return {
      capacity: this.capacity,
      used: this.used,
      bytesAccepted: this.bytesAccepted,
      bytesDelivered: this.bytesDelivered,
      readersParked: this.readers.size,
      writersParked: this.writers.size,
      frames: frameStats(this.readFrames, this.writeFrames),
      removeLockHeld: this.removeLock.held,
      audit: this.audit === null ? null : this.audit.summary(),
    };
  }
}

function frameStats(...allocs: BoundedAllocator[]): object {
  const sum = (k: 'capacity' | 'live' | 'total' | 'failures'): number => allocs.reduce((n, a) => n + a[k], 0);
  return { capacity: sum('capacity'), live: sum('live'), peak: allocs.map((a) => a.peak).join('+'), total: sum('total'), failures: sum('failures') };
}

function started(req: Request, r: Dispatch): StatusCode {
  if (r === dispatchAllocationFailed) return req.complete(Status.InsufficientResources);
  return req.completed ? req.status : Status.Pending;
}

// Exactly-once bookkeeping for the load test: one bit per record index accepted / delivered.
class Audit {
  accepted: Uint8Array;
  delivered: Uint8Array;
  acceptedCount: number;
  deliveredCount: number;
  duplicates: number;
  phantoms: number;
  corrupt: number;
  partial: number;
  constructor() {
    this.accepted = new Uint8Array(1 << 17);
    this.delivered = new Uint8Array(1 << 17);
    this.acceptedCount = 0;
    this.deliveredCount = 0;
    this.duplicates = 0;
    this.phantoms = 0;
    this.corrupt = 0;
    this.partial = 0;
  }
  grow(i: number): void {
    while (i >> 3 >= this.accepted.length) {
      const a = new Uint8Array(this.accepted.length * 2);
      a.set(this.accepted);
      this.accepted = a;
      const d = new Uint8Array(this.delivered.length * 2);
      d.set(this.delivered);
      this.delivered = d;
    }
  }
  records(bytes: Uint8Array, fn: (k: number, bit: number) => void): void {
    if (bytes.length % 8 !== 0) this.partial++;
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length - (bytes.length % 8));
    for (let o = 0; o < v.byteLength; o += 8) {
      const i = v.getUint32(o, true);
      if (v.getUint32(o + 4, true) !== Math.imul(i, RECORD_CHECK) >>> 0) {
        this.corrupt++;
        continue;
      }
      this.grow(i);
      fn(i >> 3, 1 << (i & 7));
    }
  }
  accept(bytes: Uint8Array): void {
    this.records(bytes, (k, bit) => {
      if (this.accepted[k] & bit) this.duplicates++;
      this.accepted[k] |= bit;
      this.acceptedCount++;
    });
  }
  deliver(bytes: Uint8Array): void {
    this.records(bytes, (k, bit) => {
      if (!(this.accepted[k] & bit)) this.phantoms++;
      if (this.delivered[k] & bit) this.duplicates++;
      this.delivered[k] |= bit;
      this.deliveredCount++;
    });
  }
  summary(): object {
    let undelivered = 0;
    for (let k = 0; k < this.accepted.length; k++) {
      let x = this.accepted[k] & ~this.delivered[k];
      while (x) {
        undelivered += x & 1;
        x >>= 1;
      }
    }
    return { accepted: this.acceptedCount, delivered: this.deliveredCount, undelivered, duplicates: this.duplicates, phantoms: this.phantoms, corrupt: this.corrupt, partial: this.partial };
  }
}

// Serves one read: completes at once when there is data, else parks on the readers queue until a
// write wakes it (or the handle closes, which completes the request as Cancelled and destroys this
// coroutine).
function* serveRead(_: AllocatorArg, alloc: FrameAllocator, dev: LoopbackDevice, req: Request): Dispatch {
  while (dev.used === 0) yield* dev.readers.wait(req);
  req.complete(Status.Success, dev.take(req.buffer));
  dev.pump();
}

// Serves one write: copies it in once it fits, queued behind earlier writers so none starves.
function* serveWrite(_: AllocatorArg, alloc: FrameAllocator, dev: LoopbackDevice, req: Request): Dispatch {
  if (req.length > dev.capacity) {
    req.complete(Status.InvalidParameter);
    return;
  }
  if (dev.writers.size > 0 || dev.free < req.length) {
    do yield* dev.writers.wait(req);
    while (dev.free < req.length);
  }
  dev.put(req.buffer);
  req.complete(Status.Success, req.length);
  dev.pump();
}

/**
 * A filter attached over the loopback device (a device stack, as in seed 000): it forwards every
 * request, and for reads and writes its Dispatch coroutine awaits the lower driver's completion
 * (callLowerAndWait), counts what came back, and completes the request itself. The server puts it
 * on top of the stack, so every client request goes through it; the load test checks that its
 * counts match the device's.
 */
export class TrafficFilter extends FilterDevice {
  readBytes = 0;
  writeBytes = 0;
  failed = 0;
  constructor() {
    super('loopback-traffic');
  }
  override dispatchRead(req: Request): StatusCode {
    req.markPending();
    count(this, req);
    return Status.Pending;
  }
  override dispatchWrite(req: Request): StatusCode {
    req.markPending();
    count(this, req);
    return Status.Pending;
  }
  stats(): object {
    return { readBytes: this.readBytes, writeBytes: this.writeBytes, failed: this.failed };
  }
}

function* count(filter: TrafficFilter, req: Request): Dispatch {
  const status = yield* callLowerAndWait(filter.lower, req);
  if (!ntSuccess(status)) filter.failed++;
  else if (req.major === Major.Read) filter.readBytes += req.information;
  else filter.writeBytes += req.information;
  req.complete(status, req.information);
}
