// The loopback sample's device semantics in process, and its load test end to end (server in a
// separate process, clients over a Unix socket). Both use the built runtime (dist/) and the sample
// as the ts-patch plugin lowered it (samples/loopback-device/build/), which `npm test` builds first.
// The hostile-client scenarios check the server's limits the same way.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoopbackDevice } from '../samples/loopback-device/build/loopback.js';
import { Major, Status } from '../runtime/index.js';

const bytes = (...xs: number[]) => new Uint8Array(xs);

describe('LoopbackDevice', () => {
  it('completes a read at once when there is data and pends it while empty', () => {
    const dev = new LoopbackDevice({ capacity: 8, frames: 4 });
    const { file } = dev.open();
    const w = dev.request(Major.Write, file, { buffer: bytes(1, 2, 3) });
    expect(dev.dispatch(w)).toBe(Status.Success);
    const r = dev.request(Major.Read, file, { length: 2 });
    expect(dev.dispatch(r)).toBe(Status.Success);
    expect([...r.buffer.subarray(0, r.information)]).toEqual([1, 2]);
    const r2 = dev.request(Major.Read, file, { length: 8 });
    dev.dispatch(r2);
    expect(r2.information).toBe(1);
    const pending = dev.request(Major.Read, file, { length: 8 });
    expect(dev.dispatch(pending)).toBe(Status.Pending);
    // Any handle's write satisfies it.
    const other = dev.open().file;
    dev.dispatch(dev.request(Major.Write, other, { buffer: bytes(9) }));
    expect([pending.status, pending.information, pending.buffer[0]]).toEqual([Status.Success, 1, 9]);
  });
  it('pends a write while the buffer is full and completes it when a reader makes room', () => {
    const dev = new LoopbackDevice({ capacity: 4, frames: 4 });
    const { file } = dev.open();
    dev.dispatch(dev.request(Major.Write, file, { buffer: bytes(1, 2, 3) }));
    const w = dev.request(Major.Write, file, { buffer: bytes(4, 5) });
    expect(dev.dispatch(w)).toBe(Status.Pending);
    const r = dev.request(Major.Read, file, { length: 2 });
    dev.dispatch(r);
    expect(w.status).toBe(Status.Success);
    expect(dev.used).toBe(3);
  });
  it('cancels a closing handle\'s pending requests and frees their frames', () => {
    const dev = new LoopbackDevice({ capacity: 4, frames: 4 });
    const a = dev.open().file;
    const b = dev.open().file;
    const ra = dev.request(Major.Read, a, { length: 1 });
    const rb = dev.request(Major.Read, b, { length: 1 });
    dev.dispatch(ra);
    dev.dispatch(rb);
    dev.close(a);
    expect([ra.status, rb.completed]).toEqual([Status.Cancelled, false]);
    expect(dev.stats().readersParked).toBe(1);
    dev.close(b);
    expect(rb.status).toBe(Status.Cancelled);
    expect(dev.stats().frames.live).toBe(0);
  });
  it('completes requests with InsufficientResources when the frame budget is exhausted', () => {
    const dev = new LoopbackDevice({ capacity: 4, frames: 2 }); // one read frame, one write frame
    const { file } = dev.open();
    const r1 = dev.request(Major.Read, file, { length: 1 });
    const r2 = dev.request(Major.Read, file, { length: 1 });
    expect(dev.dispatch(r1)).toBe(Status.Pending);
    expect(dev.dispatch(r2)).toBe(Status.InsufficientResources);
    dev.dispatch(dev.request(Major.Write, file, { buffer: bytes(7) }));
    expect([r1.status, r1.buffer[0]]).toEqual([Status.Success, 7]);
  });
});

describe('loopback load test', () => {
  it('moves data through 64 clients with disconnects, exactly once, nothing left pending', async () => {
    const script = fileURLToPath(new URL('../samples/loopback-device/load.mjs', import.meta.url));
    const out = await new Promise<string>((res, rej) =>
      execFile(process.execPath, [script, '--mib', '8'], { timeout: 120_000 }, (err, stdout, stderr) => (err ? rej(new Error(`${err.message}\n${stdout}\n${stderr}`)) : res(stdout))),
    );
    expect(out).toMatch(/^loopback load: 64 clients, .* — OK$/m);
  });
});

describe('loopback server under hostile clients', () => {
  // samples/loopback-device/hostile.mjs: each scenario starts a fresh server, a well-behaved client
  // probes it every 10 ms while an attacker process runs, and the script checks the server's
  // peak RSS (< 512 MiB), the probe's p99 (< 1 s) and that the server still answers and shuts
  // down cleanly. Here each limit must also have been the thing that acted.
  it('keeps memory bounded and the well-behaved client answered in every scenario', async () => {
    const script = fileURLToPath(new URL('../samples/loopback-device/hostile.mjs', import.meta.url));
    const json = path.join(os.tmpdir(), `corosplit-hostile-${process.pid}.jsonl`);
    fs.rmSync(json, { force: true });
    const out = await new Promise<string>((res, rej) =>
      execFile(process.execPath, [script, '--seconds', '4', '--', '--frame-timeout-ms', '1000'], { timeout: 240_000, env: { ...process.env, HOSTILE_JSON: json } }, (err, stdout, stderr) =>
        err ? rej(new Error(`${err.message}\n${stdout}\n${stderr}`)) : res(stdout),
      ),
    );
    const results = Object.fromEntries(
      fs
        .readFileSync(json, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { name: string; failed: string[]; peakRssMiB: number; p99Ms: number; refused: Record<string, number>; pausedReading: number; closedStalled: number })
        .map((r) => [r.name, r]),
    );
    fs.rmSync(json, { force: true });
    expect(Object.keys(results).sort(), out).toEqual(['handle-flood', 'never-reads', 'oversized-lengths', 'partial-frames']);
    for (const r of Object.values(results)) {
      expect(r.failed, `${r.name}: ${out}`).toEqual([]);
      expect(r.peakRssMiB).toBeLessThan(512);
      expect(r.p99Ms).toBeLessThan(1000);
    }
    expect(results['never-reads']!.pausedReading, 'a client that never reads stops being read').toBeGreaterThan(0);
    expect(results['handle-flood']!.refused.handles, 'opens past --max-handles are refused').toBeGreaterThan(0);
    expect(results['partial-frames']!.refused.connections, 'connections past --max-connections are closed').toBeGreaterThan(0);
    expect(results['partial-frames']!.closedStalled, 'incomplete frames past the timeout are closed').toBeGreaterThan(0);
    expect(results['oversized-lengths']!.refused.requests, 'replies past the backlog are refused').toBeGreaterThan(0);
  }, 300_000);
});

describe('loopback server fairness and the frame timeout', () => {
  it('a connection that used up its turn and then went idle is not taken for a slow sender', async () => {
    const { spawn } = await import('node:child_process');
    const { LoopbackClient } = await import('../samples/loopback-device/client.mjs');
    const sock = path.join(os.tmpdir(), `corosplit-fair-${process.pid}.sock`);
    const server = spawn(process.execPath, [fileURLToPath(new URL('../samples/loopback-device/server.mjs', import.meta.url)), '--socket', sock, '--frame-timeout-ms', '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((res, rej) => {
        server.stdout!.on('data', (d) => /listening/.test(String(d)) && res());
        server.once('exit', (c) => rej(new Error(`server exited with ${c}`)));
      });
      const c = await LoopbackClient.connect(sock);
      const h = await c.open();
      // 500 pipelined requests arrive in few chunks: the server serves 64 per turn and holds the rest.
      const replies = await Promise.all(Array.from({ length: 500 }, () => c.ioctl(h, 0x220004, 1 << 12)));
      expect(replies.filter((r) => r.status === 0).length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1500)); // idle for five frame timeouts
      const st = await c.stats(h);
      expect(st.closedStalled).toBe(0);
      await c.end();
    } finally {
      server.kill('SIGKILL');
    }
  });
});
