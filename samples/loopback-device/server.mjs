#!/usr/bin/env node
// Serves one LoopbackDevice to client processes over a Unix domain socket (protocol.mjs). Each
// connection may open several handles; a connection that goes away closes its handles, which
// cancels their pending requests.
//
// Memory is bounded by the limits below whatever clients do (README.md, "Limits"): a client that
// asks for more gets STATUS_INSUFFICIENT_RESOURCES, a client that stops reading its replies stops
// being read, and a connection that holds an incomplete frame too long, or one past the connection
// limit, is closed.
//
//   node samples/loopback-device/server.mjs [--socket PATH] [--frames N] [--audit]
//     [--max-connections 64] [--max-handles 256] [--max-pending 64] [--reply-backlog 2097152]
//     [--frame-timeout-ms 10000]
import net from 'node:net';
import fs from 'node:fs';
import { DispatchPromise, Major, RequestError, Status, outstandingRequests } from '../../dist/runtime/index.js';
// Built from loopback.ts by `npm run build` (the ts-patch plugin lowers its coroutines).
import { LoopbackDevice, TrafficFilter, IOCTL_STATS } from './build/loopback.js';
import { FrameReader, Op, encodeReplyHeader } from './protocol.mjs';

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
}
function limit(name, dflt) {
  const v = Number(arg(name, String(dflt)));
  if (!Number.isSafeInteger(v) || v < 1) {
    console.error(`loopback: ${name} must be a positive integer`);
    process.exit(2);
  }
  return v;
}
const socketPath = arg('--socket', '/tmp/corosplit-loopback.sock');
const device = new LoopbackDevice({ frames: limit('--frames', 256), audit: process.argv.includes('--audit') });
// Clients talk to the top of a device stack: a traffic-counting filter over the loopback device.
const filter = new TrafficFilter();
filter.attachTo(device);
const limits = {
  /** Connections served at once; more are closed on accept. */
  maxConnections: limit('--max-connections', 64),
  /** Open handles per connection; more opens get InsufficientResources. */
  maxHandles: limit('--max-handles', 256),
  /** Requests per connection waiting for their reply; more get InsufficientResources. */
  maxPending: limit('--max-pending', 64),
  /**
   * Reply bytes per connection, queued on the socket or reserved by pending requests. A request
   * whose largest reply would not fit gets InsufficientResources; once the queue alone is this
   * large the connection is not read until the client reads.
   */
  replyBacklog: limit('--reply-backlog', 2 << 20),
  /** How long a connection may hold an incomplete request frame before it is closed. */
  frameTimeoutMs: limit('--frame-timeout-ms', 10_000),
  /** The largest ioctl output buffer; larger requested lengths are clamped, as reads are to the capacity. */
  maxIoctlOutput: 64 << 10,
};

const counters = {
  connections: 0,
  openConnections: 0,
  droppedReplies: 0,
  droppedReplyBytes: 0,
  doubleCompletions: 0,
  unhandled: 0,
  protocolErrors: 0,
  peakRss: 0,
  refusedConnections: 0,
  refusedHandles: 0,
  refusedRequests: 0,
  pausedReading: 0,
  closedStalled: 0,
};
// A coroutine that throws must not take the server down: count it and report it.
DispatchPromise.onUnhandledException = (e, name) => {
  counters.unhandled++;
  if (e instanceof RequestError && /completed twice/.test(e.message)) counters.doubleCompletions++;
  console.error(`loopback: ${name}: ${e instanceof Error ? e.stack : e}`);
};
const sampleRss = () => {
  const rss = process.memoryUsage().rss;
  if (rss > counters.peakRss) counters.peakRss = rss;
};
setInterval(sampleRss, 50).unref();

function serverStats() {
  sampleRss();
  // The stats request asking for this is itself outstanding; do not count it.
  return { ...device.stats(), filter: filter.stats(), ...counters, limits, outstandingRequests: outstandingRequests().length - 1 };
}
const baseIoctl = device.dispatchDeviceControl.bind(device);
device.dispatchDeviceControl = (req) => {
  if (req.ioControlCode !== IOCTL_STATS) return baseIoctl(req);
  const out = Buffer.from(JSON.stringify(serverStats()));
  if (out.length > req.length) return req.complete(Status.InvalidParameter);
  req.buffer.set(out);
  return req.complete(Status.Success, out.length);
};

const REPLY_HEADER_BYTES = 16;
/**
 * Requests one connection may have handled before the server turns to the others: one socket
 * chunk can hold thousands of small requests, and serving them all at once starves the rest.
 */
const FRAMES_PER_TURN = 64;

class Connection {
  constructor(socket) {
    this.socket = socket;
    this.files = new Map();
    this.gone = false;
    this.pending = 0; // requests dispatched and not yet answered
    this.reserved = 0; // reply bytes those requests may still write
    this.readingPaused = false; // backpressure: the client is not reading its replies
    this.yielding = false; // fairness: this connection used its turn
    this.turnFrames = 0;
    this.partialSince = 0; // when the reader started holding an incomplete frame (0: it holds none)
    this.reader = new FrameReader(
      (f) => this.onFrame(f),
      (e) => {
        counters.protocolErrors++;
        socket.destroy(e);
      },
    );
    socket.on('data', (c) => {
      this.reader.push(c);
      this.notePartial();
    });
    socket.on('drain', () => this.resumeReading());
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
  }
  notePartial() {
    if (this.reader.length === 0 || this.readingPaused) this.partialSince = 0;
    else if (this.partialSince === 0) this.partialSince = Date.now();
  }
  reply(tag, status, information, payload) {
    if (this.gone || this.socket.destroyed) {
      counters.droppedReplies++;
      counters.droppedReplyBytes += payload ? payload.length : 0;
      return;
    }
    this.socket.write(encodeReplyHeader(tag, status, information, payload ? payload.length : 0));
    // A small view of a large buffer is copied: queued, it would keep the whole buffer alive.
    if (payload && payload.length) this.socket.write(payload.length * 2 < payload.buffer.byteLength ? Buffer.from(payload) : payload);
    if (this.socket.writableLength >= limits.replyBacklog && !this.readingPaused) {
      // The client is not reading: stop reading its requests, which would only queue more replies.
      this.readingPaused = true;
      counters.pausedReading++;
      this.socket.pause();
      this.reader.pause();
      this.partialSince = 0;
    }
  }
  resumeReading() {
    if (!this.readingPaused) return;
    this.readingPaused = false;
    if (!this.yielding) this.continueReading(); // else the end of the turn resumes
  }
  /** Reading was held back (backpressure or the end of a turn) and neither reason holds now. */
  continueReading() {
    if (this.gone) return;
    this.socket.resume();
    this.reader.resume();
    // What the reader still holds now is a partial frame (or nothing): its timer starts afresh.
    this.partialSince = 0;
    this.notePartial();
  }
  refuse(tag) {
    counters.refusedRequests++;
    this.reply(tag, Status.InsufficientResources, 0);
  }
  /** Admits a request whose reply carries at most `payloadBytes`, or refuses it. */
  admit(tag, payloadBytes) {
    const need = REPLY_HEADER_BYTES + payloadBytes;
    if (this.pending >= limits.maxPending || this.socket.writableLength + this.reserved + need > limits.replyBacklog) {
      this.refuse(tag);
      return false;
    }
    this.pending++;
    this.reserved += need;
    return true;
  }
  /** The completion routine of an admitted request: releases its reservation, then replies. */
  answer(tag, payloadBytes, withPayload) {
    return (r) => {
      this.pending--;
      this.reserved -= REPLY_HEADER_BYTES + payloadBytes;
      this.reply(tag, r.status, r.information, withPayload && r.information ? r.buffer.subarray(0, r.information) : null);
    };
  }
  onFrame(frame) {
    if (++this.turnFrames >= FRAMES_PER_TURN && !this.yielding) {
      this.yielding = true;
      this.reader.pause();
      this.socket.pause();
      setImmediate(() => {
        this.yielding = false;
        this.turnFrames = 0;
        if (!this.readingPaused) this.continueReading();
      });
    }
    if (frame.length < 9) {
      counters.protocolErrors++;
      return this.socket.destroy();
    }
    const op = frame.readUInt8(0);
    const tag = frame.readUInt32LE(1);
    const handle = frame.readUInt32LE(5);
    const payload = frame.subarray(9);
    try {
      if (op === Op.Open) {
        if (this.files.size >= limits.maxHandles) {
          counters.refusedHandles++;
          return this.refuse(tag);
        }
        const { file, request } = device.open();
        if (request.status === Status.Success) this.files.set(file.id, file);
        return this.reply(tag, request.status, file.id);
      }
      const file = this.files.get(handle);
      if (file === undefined) return this.reply(tag, Status.InvalidHandle, 0);
      let req;
      switch (op) {
        case Op.Read: {
          if (payload.length < 4) return this.reply(tag, Status.InvalidParameter, 0);
          const length = Math.min(payload.readUInt32LE(0), device.capacity);
          if (!this.admit(tag, length)) return;
          req = filter.request(Major.Read, file, { length });
          req.setCompletionRoutine(this.answer(tag, length, true));
          break;
        }
        case Op.Write:
          if (!this.admit(tag, 0)) return;
          req = filter.request(Major.Write, file, { buffer: new Uint8Array(payload) });
          req.setCompletionRoutine(this.answer(tag, 0, false));
          break;
        case Op.Ioctl: {
          if (payload.length < 8) return this.reply(tag, Status.InvalidParameter, 0);
          const length = Math.min(payload.readUInt32LE(4), limits.maxIoctlOutput);
          if (!this.admit(tag, length)) return;
          req = filter.request(Major.DeviceControl, file, { ioControlCode: payload.readUInt32LE(0), length });
          req.setCompletionRoutine(this.answer(tag, length, true));
          break;
        }
        case Op.Close:
          this.files.delete(handle);
          device.close(file);
          return this.reply(tag, Status.Success, 0);
        default:
          return this.reply(tag, Status.InvalidDeviceRequest, 0);
      }
      filter.dispatch(req);
    } catch (e) {
      if (e instanceof RequestError && /completed twice/.test(e.message)) counters.doubleCompletions++;
      console.error('loopback:', e);
    }
  }
  onClose() {
    this.gone = true;
    counters.openConnections--;
    for (const file of this.files.values()) device.close(file);
    this.files.clear();
  }
}

try {
  fs.unlinkSync(socketPath);
} catch {}
const connections = new Set();
const server = net.createServer((s) => {
  counters.connections++;
  counters.openConnections++;
  const c = new Connection(s);
  connections.add(c);
  s.on('close', () => connections.delete(c));
});
server.maxConnections = limits.maxConnections;
server.on('drop', () => counters.refusedConnections++);
// Incomplete frames are swept once a second: a connection that holds one past the timeout is
// closed, so slow senders cannot keep connection slots and frame buffers forever.
setInterval(() => {
  const now = Date.now();
  for (const c of connections) {
    if (c.partialSince !== 0 && now - c.partialSince > limits.frameTimeoutMs) {
      counters.closedStalled++;
      c.socket.destroy();
    }
  }
}, 1000).unref();
server.listen(socketPath, () => console.log(`loopback: listening on ${socketPath}`));
const shutdown = async () => {
  server.close();
  for (const c of connections) c.socket.destroy(); // closes their handles: pending requests cancel
  await Promise.all([filter.remove(), device.remove()]); // returns once every request drained
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
