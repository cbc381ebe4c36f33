#!/usr/bin/env node
// Hostile clients against the loopback server: each scenario starts a fresh server, connects one
// well-behaved client, then runs the attack for a while. Throughout, the well-behaved client sends
// a stats ioctl every 10 ms and times the round trip. A scenario passes when the server's peak RSS
// (VmHWM) stays under 512 MiB, the well-behaved client's p99 stays under 1 s, and the server still
// answers and drains once the attackers are gone. Prints one line per scenario; exits non-zero
// when one fails.
//
//   node samples/loopback-device/hostile.mjs [--seconds 5] [--only NAME] [-- server flags...]
//
// Scenarios: never-reads (pipelines stats ioctls and 1 MiB writes, never reads a reply),
// handle-flood (100,000 opens per connection on 8 connections), partial-frames (200 connections
// each holding a frame one byte short of the limit), oversized-lengths (reads and ioctls asking
// for 4 GiB replies).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoopbackClient, STATUS_SUCCESS } from './client.mjs';
import { MAX_FRAME, Op, encodeRequest } from './protocol.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const dashdash = argv.indexOf('--');
const serverFlags = dashdash < 0 ? [] : argv.slice(dashdash + 1);
const own = dashdash < 0 ? argv : argv.slice(0, dashdash);
const opt = (name, dflt) => {
  const i = own.indexOf(name);
  return i < 0 ? dflt : own[i + 1];
};
const SECONDS = Number(opt('--seconds', '5'));
const ONLY = opt('--only', undefined);
const RSS_LIMIT = 512 << 20;
const P99_LIMIT_MS = 1000;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const withTimeout = (p, ms, what) => Promise.race([p, pause(ms).then(() => Promise.reject(new Error(`${what}: no answer within ${ms} ms`)))]);
const mib = (n) => (n / (1 << 20)).toFixed(0);

async function startServer() {
  const sock = path.join(os.tmpdir(), `corosplit-hostile-${process.pid}-${Math.random().toString(36).slice(2)}.sock`);
  const server = spawn(process.execPath, [path.join(here, 'server.mjs'), '--socket', sock, ...serverFlags], { stdio: ['ignore', 'pipe', 'pipe'] });
  // A server left behind by an interrupted run would keep whatever the attack made it allocate.
  process.once('exit', () => server.kill('SIGKILL'));
  let stderr = '';
  server.stderr.on('data', (d) => (stderr += d));
  await new Promise((res, rej) => {
    server.stdout.on('data', (d) => /listening/.test(String(d)) && res());
    server.once('exit', (c) => rej(new Error(`server exited with ${c}: ${stderr}`)));
  });
  const peakRss = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    } catch {
      return NaN;
    }
  };
  return { sock, server, peakRss, stderr: () => stderr };
}

/** A raw connection that writes as fast as the socket takes it, never reading. */
function rawConnect(sock) {
  return new Promise((res) => {
    const s = net.createConnection(sock);
    s.on('error', () => {});
    s.once('connect', () => res(s));
    s.once('close', () => res(s));
  });
}
/** A connection with one open handle, its socket handed over raw (no reader attached, paused). */
async function openRaw(sock) {
  const c = await LoopbackClient.connect(sock);
  const handle = await c.open();
  c.socket.removeAllListeners('data');
  c.socket.pause();
  return { socket: c.socket, handle };
}
/** Writes frames from `next()` until the socket pushes back or `stop()`; resumes on drain. */
function pump(s, next, stop) {
  const go = () => {
    while (!stop() && !s.destroyed) if (!s.write(next())) return s.once('drain', go);
  };
  go();
}

const statsRequest = (tag, handle, outLength) => {
  const p = Buffer.alloc(8);
  p.writeUInt32LE(0x220004, 0);
  p.writeUInt32LE(outLength >>> 0, 4);
  return encodeRequest(Op.Ioctl, tag, handle, p);
};
const readRequest = (tag, handle, length) => {
  const p = Buffer.alloc(4);
  p.writeUInt32LE(length >>> 0, 0);
  return encodeRequest(Op.Read, tag, handle, p);
};

const scenarios = {
  /** Pipelined stats ioctls (16 MiB output buffers) and 1 MiB writes on four connections; replies are never read. */
  async 'never-reads'(sock, stop) {
    const big = Buffer.alloc(1 << 20, 7);
    // Every connection opens its handle before any attack traffic starts.
    const conns = await Promise.all(Array.from({ length: 4 }, () => openRaw(sock)));
    conns.forEach(({ socket: s, handle }, i) => {
      let tag = 2; // s stays paused: never read
      // Two connections send only small requests, so their replies pile up fastest; two mix in 1 MiB writes.
      pump(s, () => (i % 2 && tag % 4 === 0 ? encodeRequest(Op.Write, tag++, handle, big) : statsRequest(tag++, handle, 16 << 20)), stop);
    });
    return () => conns.forEach((c) => c.socket.destroy());
  },
  /** 100,000 opens pipelined per connection on eight connections, replies read, then dropped. */
  async 'handle-flood'(sock, stop) {
    const conns = [];
    const one = async () => {
      while (!stop()) {
        const s = await rawConnect(sock);
        conns.push(s);
        s.on('data', () => {});
        let n = 0;
        await new Promise((res) => {
          pump(s, () => encodeRequest(Op.Open, n++, 0), () => stop() || n >= 100_000);
          const check = setInterval(() => (stop() || n >= 100_000 || s.destroyed) && (clearInterval(check), res()), 20);
        });
        await pause(200);
        s.destroy();
      }
    };
    const runs = Array.from({ length: 8 }, one);
    return async () => {
      conns.forEach((s) => s.destroy());
      await Promise.all(runs);
    };
  },
  /** 200 connections, each sending a frame header for the largest frame and all but its last byte. */
  async 'partial-frames'(sock, stop) {
    const conns = [];
    const partial = Buffer.alloc(MAX_FRAME + 3, 1); // the size prefix and all but the frame's last byte
    partial.writeUInt32LE(MAX_FRAME, 0);
    const hold = async () => {
      while (!stop()) {
        const s = await rawConnect(sock);
        conns.push(s);
        s.write(partial);
        await new Promise((res) => {
          s.once('close', res);
          const t = setInterval(() => stop() && (clearInterval(t), res()), 50);
          s.once('close', () => clearInterval(t));
        });
      }
    };
    const runs = Array.from({ length: 200 }, hold);
    return async () => {
      conns.forEach((s) => s.destroy());
      await Promise.all(runs);
    };
  },
  /** Reads and ioctls asking for 16 MiB to 4 GiB replies, pipelined on eight connections, replies read. */
  async 'oversized-lengths'(sock, stop) {
    const conns = await Promise.all(Array.from({ length: 8 }, () => openRaw(sock)));
    const lengths = [0xffffffff, 1 << 30, 64 << 20, 16 << 20];
    for (const { socket: s, handle } of conns) {
      s.resume();
      let tag = 2;
      pump(s, () => (tag % 2 ? readRequest(tag++, handle, lengths[tag % 4]) : statsRequest(tag++, handle, lengths[(tag >> 1) % 4])), stop);
    }
    return () => conns.forEach((c) => c.socket.destroy());
  },
};

/** The attacker side of a scenario, in its own process so its work does not slow the probe. */
async function attack(name, sock) {
  let stopped = false;
  const teardown = await scenarios[name](sock, () => stopped);
  process.send('running');
  process.once('message', async () => {
    stopped = true;
    await teardown();
    process.exit(0);
  });
}

async function run(name) {
  const srv = await startServer();
  const good = await LoopbackClient.connect(srv.sock);
  const h = await good.open();
  const attacker = spawn(process.execPath, [fileURLToPath(import.meta.url), '--attack', name, '--socket', srv.sock], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.once('exit', () => attacker.kill('SIGKILL'));
  await withTimeout(new Promise((res, rej) => {
    attacker.once('message', res);
    attacker.once('exit', (c) => rej(new Error(`the attacker exited with ${c}`)));
  }), 30_000, 'attacker start');
  const lat = [];
  let failures = 0;
  const until = performance.now() + SECONDS * 1000;
  while (performance.now() < until) {
    const t = performance.now();
    const r = await Promise.race([good.ioctl(h, 0x220004, 1 << 16), pause(10_000).then(() => null)]);
    if (r === null || r.status !== STATUS_SUCCESS) failures++;
    lat.push(performance.now() - t);
    await pause(10);
  }
  attacker.send('stop');
  if ((await Promise.race([new Promise((r) => attacker.once('exit', r)), pause(10_000).then(() => 'hung')])) === 'hung') attacker.kill('SIGKILL');
  // After the attack: the server must still answer and have let go of what the attackers held.
  await pause(300);
  const st = await withTimeout(good.stats(h), 10_000, 'stats after the attack').catch((e) => ({ error: e.message }));
  await withTimeout(good.closeHandle(h), 5_000, 'close').catch(() => {});
  good.destroy();
  const peak = srv.peakRss();
  srv.server.kill('SIGTERM');
  const exit = await Promise.race([new Promise((r) => srv.server.once('exit', (c, sig) => r(c ?? sig))), pause(10_000).then(() => 'hung')]);
  if (exit === 'hung') srv.server.kill('SIGKILL');
  lat.sort((a, b) => a - b);
  const p99 = lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))];
  const checks = {
    [`server peak RSS < ${mib(RSS_LIMIT)} MiB`]: peak < RSS_LIMIT,
    [`well-behaved p99 < ${P99_LIMIT_MS} ms`]: p99 < P99_LIMIT_MS && failures === 0,
    'server answered after the attack': !st.error,
    'server shut down cleanly': exit === 0,
  };
  const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
  const result = {
    name,
    peakRssMiB: Math.round(peak / (1 << 20)),
    p99Ms: Math.round(p99),
    maxMs: Math.round(lat[lat.length - 1]),
    probes: lat.length,
    failures,
    limits: st.limits,
    refused: { requests: st.refusedRequests, connections: st.refusedConnections, handles: st.refusedHandles },
    pausedReading: st.pausedReading,
    closedStalled: st.closedStalled,
    failed,
  };
  console.log(
    `loopback hostile ${name}: server peak RSS ${result.peakRssMiB} MiB, well-behaved p99 ${result.p99Ms} ms (max ${result.maxMs} ms, ${lat.length} probes), ` +
      `refused ${st.refusedRequests ?? '?'} requests / ${st.refusedConnections ?? '?'} connections / ${st.refusedHandles ?? '?'} opens, ` +
      `reading paused ${st.pausedReading ?? '?'} times, ${st.closedStalled ?? '?'} stalled frames closed — ${failed.length ? `FAILED: ${failed.join('; ')}` : 'OK'}`,
  );
  if (process.env.HOSTILE_JSON) fs.appendFileSync(process.env.HOSTILE_JSON, `${JSON.stringify(result)}\n`);
  return failed.length === 0;
}

if (own.includes('--attack')) {
  await attack(opt('--attack'), opt('--socket'));
} else {
  let ok = true;
  for (const name of Object.keys(scenarios)) {
    if (ONLY && ONLY !== name) continue;
    try {
      ok = (await run(name)) && ok;
    } catch (e) {
      console.log(`loopback hostile ${name}: FAILED: ${e && e.message}`);
      ok = false;
    }
  }
  process.exit(ok ? 0 : 1);
}
