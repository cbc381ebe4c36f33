// Device, its handles (FileObject) and the requests sent to it (Request, the IRP), in one module
// because each refers to the others.
//
// Device: the device object and its dispatch table. Requests enter through dispatch(), which takes
// the remove lock for the request's lifetime and routes by major function to an overridable
// dispatch routine, like a DRIVER_OBJECT's MajorFunction table.
//
// Request: completed exactly once with a status and an information count; a second completion
// throws, and a request dropped without completion is reported with the place it was created
// (FinalizationRegistry) and listed by outstandingRequests() until completed.
import { RemoveLock } from './remove-lock.js';
import { Status, statusName, type StatusCode } from './status.js';

export const Major = {
  Create: 0,
  Read: 1,
  Write: 2,
  DeviceControl: 3,
  Cleanup: 4,
  Close: 5,
} as const;
export type MajorCode = (typeof Major)[keyof typeof Major];
const majorNames = ['create', 'read', 'write', 'deviceControl', 'cleanup', 'close'];

/** A completion routine: runs after the request completed, last registered first. */
/**
 * Runs when a request completes, lowest driver's first. Returning Status.MoreProcessingRequired
 * takes the request back (STATUS_MORE_PROCESSING_REQUIRED): the routines set above it do not run
 * yet, the request is open again, and its owner completes it once more when done with it.
 */
export type CompletionRoutine = (r: Request) => void | StatusCode;
export type CancelRoutine = (r: Request) => void;

/** What survives a request for leak reports: never references the request itself. */
export interface RequestInfo {
  readonly id: number;
  readonly major: string;
  readonly createdAt: string;
  done: boolean;
}

export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

const outstanding = /* @__PURE__ */ new Map<number, RequestInfo>();
let leakReporter: (info: RequestInfo) => void = (info) => {
  console.error(`corosplit driver: request #${info.id} (${info.major}) was dropped without being completed; created at:\n${info.createdAt}`);
};
let registry: FinalizationRegistry<RequestInfo> | null = null;
function leakRegistry(): FinalizationRegistry<RequestInfo> {
  return (registry ??= new FinalizationRegistry((info) => {
    if (info.done) return;
    outstanding.delete(info.id);
    leakReporter(info);
  }));
}

/** Replaces the reporter for requests garbage-collected without completion. */
export function onRequestLeak(report: (info: RequestInfo) => void): void {
  leakReporter = report;
}
/** Requests created and not completed yet (pending or leaked), oldest first. */
export function outstandingRequests(): RequestInfo[] {
  return [...outstanding.values()];
}

let nextId = 1;

export interface RequestInit {
  buffer?: Uint8Array;
  length?: number;
  ioControlCode?: number;
}

export class Request {
  /** Capture a creation stack for every request (for leak reports). Costs a stack walk per request. */
  static captureStacks = true;
  readonly id: number;
  readonly major: MajorCode;
  readonly file: FileObject;
  /** Write/ioctl input, or read output of `length` bytes. */
  readonly buffer: Uint8Array;
  readonly length: number;
  readonly ioControlCode: number;
  status: StatusCode = Status.Pending;
  information = 0;
  /** Set by markPending(): the dispatch routine returned before completing. */
  pending = false;
  cancelled = false;
  /** Per-request storage for the driver (DriverContext). */
  context: unknown = undefined;
  private cancelRoutine: CancelRoutine | null = null;
  private routines: CompletionRoutine[] | null = null;
  private afterTakeBack: { resume(): void } | null = null;
  private readonly info: RequestInfo;

  constructor(major: MajorCode, file: FileObject, init: RequestInit = {}) {
    this.id = nextId++;
    this.major = major;
    this.file = file;
    this.length = init.length ?? init.buffer?.length ?? 0;
    this.buffer = init.buffer ?? new Uint8Array(this.length);
    this.ioControlCode = init.ioControlCode ?? 0;
    const createdAt = Request.captureStacks ? (new Error().stack ?? '').split('\n').slice(2).join('\n') : '(stack capture disabled)';
    this.info = { id: this.id, major: majorNames[major], createdAt, done: false };
    outstanding.set(this.id, this.info);
    leakRegistry().register(this, this.info);
  }

  get completed(): boolean {
    return this.info.done;
  }
  get name(): string {
    return `request #${this.id} (${this.info.major})`;
  }
  /** IoMarkIrpPending. */
  markPending(): void {
    this.pending = true;
  }

  /**
   * IoCompleteRequest: records status and information, then runs completion routines (last set,
   * first run). Returns the status so dispatch routines can `return req.complete(...)`.
   */
  complete(status: StatusCode, information = 0): StatusCode {
    if (this.info.done) {
      throw new RequestError(`${this.name} completed twice: first with ${statusName(this.status)}, again with ${statusName(status)}`);
    }
    if (status === Status.Pending || status === Status.MoreProcessingRequired) throw new RequestError(`${this.name} cannot complete with ${statusName(status)}`);
    this.info.done = true;
    outstanding.delete(this.id);
    this.cancelRoutine = null;
    this.status = status;
    this.information = information;
    const rs = this.routines;
    if (rs === null) return status;
    let first: unknown = undefined;
    let failed = false;
    // Each routine is taken off the list before it runs, so a request taken back keeps only the
    // routines of the drivers above the one that took it.
    while (rs.length > 0) {
      const fn = rs.pop()!;
      let r: void | StatusCode;
      try {
        r = fn(this);
      } catch (e) {
        if (!failed) (failed = true), (first = e);
        continue;
      }
      if (r === Status.MoreProcessingRequired) {
        this.info.done = false;
        outstanding.set(this.id, this.info);
        const then = this.afterTakeBack;
        this.afterTakeBack = null;
        if (then !== null) then.resume();
        if (failed) throw first;
        return status;
      }
    }
    this.routines = null;
    if (failed) throw first;
    return status;
  }

  /**
   * For a completion routine that returns MoreProcessingRequired: `r` is resumed once the request
   * is open again (a coroutine awaiting the lower driver continues there and completes it).
   */
  resumeAfterTakeBack(r: { resume(): void }): void {
    this.afterTakeBack = r;
  }

  /** IoSetCompletionRoutine: `fn` runs when the request completes. */
  setCompletionRoutine(fn: CompletionRoutine): void {
    if (this.info.done) throw new RequestError(`${this.name}: completion routine set after completion`);
    (this.routines ??= []).push(fn);
  }

  /** IoSetCancelRoutine: returns the previous routine. A cancel-safe queue manages this for you. */
  setCancelRoutine(fn: CancelRoutine | null): CancelRoutine | null {
    const prev = this.cancelRoutine;
    this.cancelRoutine = fn;
    return prev;
  }

  /** IoCancelIrp: marks the request cancelled and runs its cancel routine if one is set. */
  cancel(): boolean {
    if (this.info.done) return false;
    this.cancelled = true;
    const r = this.cancelRoutine;
    if (r === null) return false;
    this.cancelRoutine = null;
    r(this);
    return true;
  }
}

/** An open handle to a device (FILE_OBJECT). */
export class FileObject {
  private static nextId = 1;
  readonly id = FileObject.nextId++;
  /** Per-handle storage for the driver (FsContext). */
  context: unknown = undefined;
  closed = false;
  constructor(readonly device: Device) {}
}

export class Device {
  readonly removeLock = new RemoveLock();
  /** The device this one is attached over (its lower device), or null at the bottom of a stack. */
  lower: Device | null = null;
  /** The device attached over this one, or null at the top. */
  upper: Device | null = null;
  constructor(readonly name: string) {}

  /**
   * IoAttachDeviceToDeviceStack: puts this device on top of the stack that `target` belongs to and
   * returns the device it now sits on (the previous top). Requests opened on the stack go to its
   * top device (stackTop()) and travel down through forward() / callLowerAndWait().
   */
  attachTo(target: Device): Device {
    if (this.lower !== null) throw new RequestError(`device '${this.name}' is already attached over '${this.lower.name}'`);
    if (this.upper !== null) throw new RequestError(`device '${this.name}' already has '${this.upper.name}' attached over it`);
    const top = target.stackTop();
    if (top === this) throw new RequestError(`device '${this.name}' cannot be attached over itself`);
    this.lower = top;
    top.upper = this;
    return top;
  }
  /** IoDetachDevice for this device's place in the stack. */
  detach(): void {
    if (this.upper !== null) throw new RequestError(`device '${this.name}' still has '${this.upper.name}' attached over it`);
    if (this.lower !== null) this.lower.upper = null;
    this.lower = null;
  }
  /** The top of the stack this device belongs to (IoGetAttachedDevice). */
  stackTop(): Device {
    let d: Device = this;
    while (d.upper !== null) d = d.upper;
    return d;
  }
  /** IoSkipCurrentIrpStackLocation + IoCallDriver: passes the request to the lower device as it is. */
  forward(req: Request): StatusCode {
    const lower = this.lower;
    if (lower === null) throw new RequestError(`device '${this.name}' has no lower device to forward ${req.name} to`);
    return lower.dispatch(req);
  }

  /** Builds a request for this device; the transport then passes it to dispatch(). */
  request(major: MajorCode, file: FileObject, init?: RequestInit): Request {
    if (file.device !== this.stackTop() && file.device !== this) throw new RequestError(`file object #${file.id} belongs to device '${file.device.name}', not '${this.name}'`);
    return new Request(major, file, init);
  }

  /** Opens a handle: a Create request; resolves with the file object once it completed with success. */
  open(): { file: FileObject; request: Request } {
    const top = this.stackTop();
    const file = new FileObject(top);
    const request = top.request(Major.Create, file);
    top.dispatch(request);
    return { file, request };
  }

  /**
   * IoCallDriver for this device: returns the status the dispatch routine returned (Pending when it
   * kept the request). A dispatch routine that throws before completing the request completes it
   * with InternalError, and the exception propagates.
   */
  dispatch(req: Request): StatusCode {
    if (!this.removeLock.acquire()) return req.complete(Status.DeletePending);
    req.setCompletionRoutine(this.releaseLock);
    try {
      switch (req.major) {
        case Major.Create:
          return this.dispatchCreate(req);
        case Major.Read:
          return this.dispatchRead(req);
        case Major.Write:
          return this.dispatchWrite(req);
        case Major.DeviceControl:
          return this.dispatchDeviceControl(req);
        case Major.Cleanup:
          return this.dispatchCleanup(req);
        case Major.Close:
          req.file.closed = true;
          return this.dispatchClose(req);
        default:
          return req.complete(Status.InvalidDeviceRequest);
      }
    } catch (e) {
      if (!req.completed) req.complete(Status.InternalError);
      throw e;
    }
  }
  private readonly releaseLock = (): void => this.removeLock.release();

  dispatchCreate(req: Request): StatusCode {
    return req.complete(Status.Success);
  }
  dispatchRead(req: Request): StatusCode {
    return req.complete(Status.InvalidDeviceRequest);
  }
  dispatchWrite(req: Request): StatusCode {
    return req.complete(Status.InvalidDeviceRequest);
  }
  dispatchDeviceControl(req: Request): StatusCode {
    return req.complete(Status.InvalidDeviceRequest);
  }
  /** The last handle reference is gone: cancel what the handle still has pending. */
  dispatchCleanup(req: Request): StatusCode {
    return req.complete(Status.Success);
  }
  dispatchClose(req: Request): StatusCode {
    return req.complete(Status.Success);
  }

  /** Closes a handle the way the I/O manager does: Cleanup, then Close. */
  close(file: FileObject): void {
    const top = file.device;
    top.dispatch(top.request(Major.Cleanup, file));
    top.dispatch(top.request(Major.Close, file));
  }

  /** Tears the device down once every request in flight completed; new requests get DeletePending. */
  remove(): Promise<void> {
    return this.removeLock.releaseAndWait();
  }
}

/** A filter device: every request is forwarded to the lower device unless a subclass handles it. */
export class FilterDevice extends Device {
  override dispatchCreate(req: Request): StatusCode {
    return this.forward(req);
  }
  override dispatchRead(req: Request): StatusCode {
    return this.forward(req);
  }
  override dispatchWrite(req: Request): StatusCode {
    return this.forward(req);
  }
  override dispatchDeviceControl(req: Request): StatusCode {
    return this.forward(req);
  }
  override dispatchCleanup(req: Request): StatusCode {
    return this.forward(req);
  }
  override dispatchClose(req: Request): StatusCode {
    return this.forward(req);
  }
}
