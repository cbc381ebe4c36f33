#!/usr/bin/env node
// Load test for the loopback server: 64 concurrent connections (32 writers, 32 readers) move
// 64 MiB through the device with random disconnects mid-request and a small frame budget, then
// check that every record written was read exactly once, that no request completed twice, that
// nothing is left pending once every handle closed, and that server memory stayed bounded.
// Prints one summary line; exits non-zero when a check fails.
//
//   node samples/loopback-device/load.mjs [--mib 64] [--clients 64] [--frames 32]
//
// Data is a stream of 8-byte records (u32 index, u32 index*2654435761), so any byte that went
// missing, was duplicated or was corrupted shows up on both sides: the server audits what the
// device accepted and delivered; this process audits what clients received.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoopbackClient, STATUS_SUCCESS } from './client.mjs';

const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a;
const STATUS_CANCELLED = 0xc0000120;
const RECORD_CHECK = 2654435761;

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
}
const TOTAL = arg('--mib', 64) * (1 << 20);
const CLIENTS = arg('--clients', 64);
// Fewer frames than clients (split between reads and writes), so exhaustion happens and must be survived.
const FRAMES = arg('--frames', 32);
const DISCONNECT_P = 0.01;
const MAX_CHUNK = 64 << 10;
const RSS_LIMIT = 256 << 20;

const here = path.dirname(fileURLToPath(import.meta.url));
const sock = path.join(os.tmpdir(), `corosplit-loopback-${process.pid}.sock`);
const t0 = performance.now();

// Room above the server's default connection cap: a client that drops its connection reconnects at
// once, before the server may have seen the close, and the stats probe is one more. With the cap
// at exactly CLIENTS, a reconnect was sometimes refused and the run failed with "connection closed".
const server = spawn(process.execPath, [path.join(here, 'server.mjs'), '--socket', sock, '--frames', String(FRAMES), '--audit', '--max-connections', String(2 * CLIENTS + 8)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((res, rej) => {
  server.stdout.on('data', (d) => /listening/.test(String(d)) && res());
  server.once('exit', (c) => rej(new Error(`server exited with ${c}`)));
});

const sum = {
  attempted: 0, // bytes sent in write requests
  acked: 0, // bytes whose write completed with success and reached its client
  received: 0, // bytes clients received from reads
  disconnects: 0,
  lossBound: 0, // bytes of reads in flight when their connection was dropped
  retries: 0, // InsufficientResources replies
  cancelled: 0,
  dupes: 0,
  corrupt: 0,
  unexpected: 0,
};
let nextRecord = 0;
const seen = new Uint8Array(((TOTAL / 8) >> 3) + (1 << 16));

function makeChunk() {
  const n = 1 + Math.floor(Math.random() * (MAX_CHUNK / 8));
  const b = Buffer.allocUnsafe(n * 8);
  for (let o = 0; o < b.length; o += 8) {
    const i = nextRecord++;
    b.writeUInt32LE(i, o);
    b.writeUInt32LE(Math.imul(i, RECORD_CHECK) >>> 0, o + 4);
  }
  return b;
}
function audit(payload) {
  if (payload.length % 8) sum.corrupt++;
  for (let o = 0; o + 8 <= payload.length; o += 8) {
    const i = payload.readUInt32LE(o);
    if (payload.readUInt32LE(o + 4) !== Math.imul(i, RECORD_CHECK) >>> 0 || i >> 3 >= seen.length) {
      sum.corrupt++;
      continue;
    }
    if (seen[i >> 3] & (1 << (i & 7))) sum.dupes++;
    seen[i >> 3] |= 1 << (i & 7);
  }
  sum.received += payload.length;
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

class Session {
  async connect() {
    this.c = await LoopbackClient.connect(sock);
    this.h = await this.c.open();
  }
  /** Sends a request; with probability DISCONNECT_P drops the connection right after sending it. */
  async request(send, onDrop) {
    for (;;) {
      const p = send(this.c, this.h);
      if (Math.random() < DISCONNECT_P) {
        p.catch(() => {});
        onDrop();
        sum.disconnects++;
        this.c.destroy();
        await this.connect();
        return null;
      }
      let r;
      try {
        r = await p;
      } catch {
        await this.connect();
        return null;
      }
      if (r.status === STATUS_INSUFFICIENT_RESOURCES) {
        sum.retries++;
        await pause(1 + Math.random() * 4);
        continue;
      }
      return r;
    }
  }
}

async function writer() {
  const s = new Session();
  await s.connect();
  while (sum.attempted < TOTAL) {
    const chunk = makeChunk();
    sum.attempted += chunk.length;
    const r = await s.request((c, h) => c.write(h, chunk), () => {});
    if (r === null) continue;
    if (r.status === STATUS_SUCCESS && r.information === chunk.length) sum.acked += chunk.length;
    else sum.unexpected++;
  }
  await s.c.closeHandle(s.h);
  await s.c.end();
}

const readers = [];
async function reader() {
  const s = new Session();
  readers.push(s);
  await s.connect();
  while (!s.stop) {
    const len = 8 * (1 + Math.floor(Math.random() * (MAX_CHUNK / 8)));
    const r = await s.request((c, h) => c.read(h, len), () => (sum.lossBound += len));
    if (r === null) continue;
    if (r.status === STATUS_SUCCESS) audit(r.payload);
    else if (r.status === STATUS_CANCELLED) sum.cancelled++;
    else sum.unexpected++;
  }
}

const nWriters = CLIENTS >> 1;
const readerRuns = Array.from({ length: CLIENTS - nWriters }, () => reader().catch((e) => e));
await Promise.all(Array.from({ length: nWriters }, writer));

// Drain: wait until the device buffer is empty, then close every reader handle; their parked
// reads must complete as Cancelled.
const probe = await LoopbackClient.connect(sock);
const ph = await probe.open();
for (let i = 0; ; i++) {
  const st = await probe.stats(ph);
  if (st.used === 0 && st.writersParked === 0) break;
  if (i > 2000) throw new Error('device did not drain');
  await pause(5);
}
for (const s of readers) {
  s.stop = true;
  s.c.destroy(); // disconnect with reads pending
}
await Promise.all(readerRuns);
await pause(50);
const st = await probe.stats(ph);
await probe.closeHandle(ph);
await probe.end();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));

const a = st.audit;
const lostInTransit = st.bytesDelivered - sum.received;
const checks = {
  'moved the requested volume': st.bytesDelivered >= TOTAL * 0.9 && sum.acked >= TOTAL * 0.9,
  'device accepted == delivered': a.accepted === a.delivered && st.bytesAccepted === st.bytesDelivered,
  'every accepted record delivered once': a.undelivered === 0 && a.duplicates === 0 && a.phantoms === 0 && a.corrupt === 0 && a.partial === 0,
  'acked writes were accepted': sum.acked <= st.bytesAccepted && st.bytesAccepted <= sum.attempted,
  'clients got no duplicate or corrupt record': sum.dupes === 0 && sum.corrupt === 0,
  'only reads in flight at a disconnect lost data': lostInTransit >= 0 && lostInTransit <= sum.lossBound,
  'no request completed twice': st.doubleCompletions === 0 && st.unhandled === 0,
  'nothing pending after close': st.readersParked === 0 && st.writersParked === 0 && st.outstandingRequests === 0 && st.frames.live === 0,
  'server memory bounded': st.peakRss < RSS_LIMIT,
  'no unexpected status': sum.unexpected === 0,
  'the filter above the device counted what it delivered and accepted': st.filter.readBytes === st.bytesDelivered && st.filter.writeBytes === st.bytesAccepted,
};
const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
const mib = (n) => (n / (1 << 20)).toFixed(1);
console.log(
  `loopback load: ${CLIENTS} clients, ${mib(st.bytesAccepted)} MiB written, ${mib(st.bytesDelivered)} MiB read, ${a.delivered} records exactly once, ` +
    `${sum.disconnects} disconnects (${mib(lostInTransit)} MiB in flight to them), ${sum.retries} insufficient-resources retries (frames peak ${st.frames.peak} of ${st.frames.capacity}), ` +
    `${st.doubleCompletions} double completions, ${st.outstandingRequests} pending, server peak RSS ${mib(st.peakRss)} MiB, ${((performance.now() - t0) / 1000).toFixed(1)} s — ` +
    (failed.length ? `FAILED: ${failed.join('; ')}` : 'OK'),
);
if (failed.length) {
  console.error(JSON.stringify({ stats: st, client: sum }, null, 2));
  process.exit(1);
}
