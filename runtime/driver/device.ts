// Device: the device object and its dispatch table. Requests enter through dispatch(), which takes
// the remove lock for the request's lifetime and routes by major function to an overridable
// dispatch routine, like a DRIVER_OBJECT's MajorFunction table.
import { Major, Request, RequestError, type MajorCode, type RequestInit } from './request.js';
import { RemoveLock } from './remove-lock.js';
import { Status, type StatusCode } from './status.js';

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
  constructor(readonly name: string) {}

  /** Builds a request for this device; the transport then passes it to dispatch(). */
  request(major: MajorCode, file: FileObject, init?: RequestInit): Request {
    if (file.device !== this) throw new RequestError(`file object #${file.id} belongs to device '${file.device.name}', not '${this.name}'`);
    return new Request(major, file, init);
  }

  /** Opens a handle: a Create request; resolves with the file object once it completed with success. */
  open(): { file: FileObject; request: Request } {
    const file = new FileObject(this);
    const request = this.request(Major.Create, file);
    this.dispatch(request);
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
    this.dispatch(this.request(Major.Cleanup, file));
    this.dispatch(this.request(Major.Close, file));
  }

  /** Tears the device down once every request in flight completed; new requests get DeletePending. */
  remove(): Promise<void> {
    return this.removeLock.releaseAndWait();
  }
}
