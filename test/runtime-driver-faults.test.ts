// A Dispatch coroutine that fails still completes its request (issue 14, item 5): "completed
// exactly once" includes "at least once". Lowered for real (type checker, transformProgram).
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, runCompiled } from './helpers/program.js';

const source = `
import { Device, Major, Status, FireAndForgetPromise, resumeBackground, type Dispatch, type Request } from 'corosplit/runtime';

export function* failsLate(req: Request, log: string[]): Dispatch {
  log.push('start');
  yield* resumeBackground();
  log.push('after');
  throw new Error('broken driver');
}
export function* failsAtOnce(req: Request, log: string[]): Dispatch {
  log.push('at once');
  throw new Error('broken at once');
}
export function* completesThenFails(req: Request, log: string[]): Dispatch {
  yield* resumeBackground();
  req.complete(Status.Success, 7);
  throw new Error('after completing');
}

export class Dev extends Device {
  log: string[] = [];
  mode = 'late';
  override dispatchRead(req: Request) {
    if (this.mode === 'late') failsLate(req, this.log);
    else if (this.mode === 'once') failsAtOnce(req, this.log);
    else completesThenFails(req, this.log);
    return Status.Pending;
  }
}
export { Major, Status, FireAndForgetPromise };
`;

describe('a Dispatch coroutine that throws', () => {
  let m: any;
  const errors: string[] = [];
  beforeAll(async () => {
    const c = compile({ 'main.ts': source });
    expect(c.typeErrors).toEqual([]);
    m = await runCompiled(c);
    m.FireAndForgetPromise.onUnhandledException = (e: Error, name: string) => errors.push(`${name}: ${e.message}`);
  });

  for (const [mode, message, status] of [
    ['late', 'failsLate: broken driver', 'InternalError'],
    ['once', 'failsAtOnce: broken at once', 'InternalError'],
    ['done', 'completesThenFails: after completing', 'Success'],
  ] as const) {
    it(`${mode}: the request completes, the exception is reported, and device.remove() resolves`, async () => {
      errors.length = 0;
      const d = new m.Dev('dev');
      d.mode = mode;
      const { file } = d.open();
      const req = d.request(m.Major.Read, file);
      d.dispatch(req);
      await new Promise((r) => setTimeout(r, 10));
      expect(req.completed).toBe(true);
      expect(req.status).toBe(m.Status[status]);
      expect(errors).toEqual([message]);
      d.close(file);
      const removed = await Promise.race([d.remove().then(() => 'removed'), new Promise((r) => setTimeout(() => r('still held'), 200))]);
      expect(removed).toBe('removed');
    });
  }
});
