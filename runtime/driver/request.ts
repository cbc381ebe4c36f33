// Request: the IRP. Completed exactly once with a status and an information count; a second
// completion throws, and a request dropped without completion is reported with the place it was
// created (FinalizationRegistry) and listed by outstandingRequests() until completed.
import { Status, statusName, type StatusCode } from './status.js';
import type { FileObject } from './device.js';

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
export type CompletionRoutine = (r: Request) => void;
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
    if (status === Status.Pending) throw new RequestError(`${this.name} cannot complete with Pending`);
    this.info.done = true;
    outstanding.delete(this.id);
    this.cancelRoutine = null;
    this.status = status;
    this.information = information;
    const rs = this.routines;
    if (rs !== null) {
      this.routines = null;
      let first: unknown = undefined;
      let failed = false;
      for (let i = rs.length - 1; i >= 0; i--) {
        try {
          rs[i](this);
        } catch (e) {
          if (!failed) (failed = true), (first = e);
        }
      }
      if (failed) throw first;
    }
    return status;
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
