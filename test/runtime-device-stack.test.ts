// Device stacks (seed 000): a filter device attached over a lower device forwards requests, and a
// filter's Dispatch coroutine awaits the lower driver's completion (callLowerAndWait, the
// send_urb_async pattern), takes the request back and completes it itself. Written as drivers
// write it and lowered by the transformer. Checked: inline and later completion by the lower
// driver, cancellation of a request pending below, a lower driver that throws, remove() of both
// devices resolving, and nothing left outstanding.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled, type Compiled } from './helpers/program.js';

const SOURCE = `
import { Device, FilterDevice, Major, Status, CancelSafeQueue, callLowerAndWait, ntSuccess, outstandingRequests, type Dispatch, type Request, type StatusCode } from 'corosplit/runtime';

// The lower driver: reads complete at once when data is there, else wait in a cancel-safe queue
// until a write arrives; an ioctl makes it throw.
class Lower extends Device {
  data: number[] = [];
  readonly waiting = new CancelSafeQueue();
  override dispatchRead(req: Request): StatusCode {
    if (this.data.length > 0) return this.fill(req);
    req.markPending();
    this.waiting.insert(req, undefined);
    return Status.Pending;
  }
  override dispatchWrite(req: Request): StatusCode {
    this.data.push(...req.buffer);
    while (this.data.length > 0) {
      const e = this.waiting.removeNext();
      if (e === null) break;
      this.fill(e.req);
    }
    return req.complete(Status.Success, req.length);
  }
  override dispatchDeviceControl(): StatusCode {
    throw new Error('lower driver bug');
  }
  private fill(req: Request): StatusCode {
    const n = Math.min(req.length, this.data.length);
    req.buffer.set(this.data.splice(0, n));
    return req.complete(Status.Success, n);
  }
}

// The filter: counts the bytes its reads returned, after the lower driver completed them.
class Counter extends FilterDevice {
  bytesRead = 0;
  log: string[] = [];
  override dispatchRead(req: Request): StatusCode {
    req.markPending();
    countRead(this, req);
    return Status.Pending;
  }
  override dispatchDeviceControl(req: Request): StatusCode {
    req.markPending();
    countRead(this, req);
    return Status.Pending;
  }
}
function* countRead(filter: Counter, req: Request): Dispatch {
  let status: StatusCode;
  try {
    status = yield* callLowerAndWait(filter.lower, req);
    filter.log.push('lower said ' + status.toString(16) + ' ' + req.information);
  } catch (e) {
    // The lower dispatch routine threw: it completed the request with InternalError on the way
    // out, and the request came back to this driver like any other completion.
    status = req.status;
    filter.log.push('lower threw ' + (e as Error).message + ' ' + status.toString(16));
  }
  if (ntSuccess(status)) filter.bytesRead += req.information;
  req.complete(status, req.information);
}

export async function run() {
  const lower = new Lower('lower');
  const filter = new Counter('counter');
  const below = filter.attachTo(lower);
  const out: unknown[] = [below === lower, lower.stackTop() === filter];
  const { file } = lower.open(); // opens the stack: the filter gets the Create first and forwards it
  out.push(file.device === filter);
  const done: string[] = [];
  const track = (r: Request, what: string) => r.setCompletionRoutine(() => void done.push(what + ':' + r.status.toString(16) + ':' + r.information));

  // 1. the lower driver completes at once
  lower.data.push(1, 2, 3);
  const r1 = filter.request(Major.Read, file, { length: 3 });
  track(r1, 'r1');
  out.push(filter.dispatch(r1));
  // 2. it completes later, when a write arrives
  const r2 = filter.request(Major.Read, file, { length: 4 });
  track(r2, 'r2');
  out.push(filter.dispatch(r2), r2.completed);
  const w = filter.request(Major.Write, file, { buffer: new Uint8Array([7, 8, 9]) });
  filter.dispatch(w);
  // 3. cancelled while pending below
  const r3 = filter.request(Major.Read, file, { length: 1 });
  track(r3, 'r3');
  filter.dispatch(r3);
  r3.cancel();
  // 4. the lower driver throws
  const r4 = filter.request(Major.DeviceControl, file, { length: 1 });
  track(r4, 'r4');
  let thrown = '';
  try { filter.dispatch(r4); } catch (e) { thrown = (e as Error).message; }
  out.push(thrown, r4.completed);

  lower.close(file);
  await Promise.all([filter.remove(), lower.remove()]);
  out.push(done, filter.bytesRead, filter.log, outstandingRequests().length, [r1.buffer[0], r1.buffer[1]], [...r2.buffer]);
  return out;
}
`;

describe('device stacks', () => {
  let compiled: Compiled;
  beforeAll(() => {
    compiled = compile({ 'main.ts': SOURCE });
  });
  it('a filter forwards, awaits the lower driver and completes the request itself', async () => {
    expect(compiled.typeErrors.join('\n')).toBe('');
    const mod = await runCompiled(compiled);
    const [below, top, fileOnFilter, s1, s2, r2Done, thrown, r4Done, done, bytes, log, outstanding, b1, b2] = await mod.run();
    expect([below, top, fileOnFilter]).toEqual([true, true, true]);
    // r1 completed inside dispatch (the lower driver completed at once, the filter finished in
    // place); r2 waited below until the write
    expect(s1).toBe(0x103); // Pending: the filter's dispatch marked it pending before awaiting
    expect([s2, r2Done]).toEqual([0x103, false]);
    expect(done).toEqual(['r1:0:3', 'r2:0:3', 'r3:c0000120:0', 'r4:c00000e5:0']);
    expect(bytes).toBe(6);
    expect(log).toEqual(['lower said 0 3', 'lower said 0 3', 'lower said c0000120 0', 'lower threw lower driver bug c00000e5']);
    expect([thrown, r4Done]).toEqual(['', true]);
    expect(outstanding).toBe(0);
    expect(b1).toEqual([1, 2]);
    expect(b2).toEqual([7, 8, 9, 0]);
  });
});
