#!/usr/bin/env node
// Serves one LoopbackDevice to client processes over a Unix domain socket (protocol.mjs). Each
// connection may open several handles; a connection that goes away closes its handles, which
// cancels their pending requests.
//
//   node samples/loopback-device/server.mjs [--socket PATH] [--frames N] [--audit]
import net from 'node:net';
import fs from 'node:fs';
import { DispatchPromise, Major, RequestError, Status, outstandingRequests } from '../../dist/runtime/index.js';
// Built from loopback.ts by `npm run build` (the ts-patch plugin lowers its coroutines).
import { LoopbackDevice, IOCTL_STATS } from './build/loopback.js';
import { FrameReader, Op, encodeReplyHeader } from './protocol.mjs';

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
}
const socketPath = arg('--socket', '/tmp/corosplit-loopback.sock');
const device = new LoopbackDevice({ frames: Number(arg('--frames', '256')), audit: process.argv.includes('--audit') });

const counters = { connections: 0, openConnections: 0, droppedReplies: 0, droppedReplyBytes: 0, doubleCompletions: 0, unhandled: 0, protocolErrors: 0, peakRss: 0 };
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
  return { ...device.stats(), ...counters, outstandingRequests: outstandingRequests().length - 1 };
}
const baseIoctl = device.dispatchDeviceControl.bind(device);
device.dispatchDeviceControl = (req) => {
  if (req.ioControlCode !== IOCTL_STATS) return baseIoctl(req);
  const out = Buffer.from(JSON.stringify(serverStats()));
  if (out.length > req.length) return req.complete(Status.InvalidParameter);
  req.buffer.set(out);
  return req.complete(Status.Success, out.length);
};

class Connection {
  constructor(socket) {
    this.socket = socket;
    this.files = new Map();
    this.gone = false;
    this.reader = new FrameReader(
      (f) => this.onFrame(f),
      (e) => {
        counters.protocolErrors++;
        socket.destroy(e);
      },
    );
    socket.on('data', (c) => this.reader.push(c));
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
  }
  reply(tag, status, information, payload) {
    if (this.gone || this.socket.destroyed) {
      counters.droppedReplies++;
      counters.droppedReplyBytes += payload ? payload.length : 0;
      return;
    }
    this.socket.write(encodeReplyHeader(tag, status, information, payload ? payload.length : 0));
    if (payload && payload.length) this.socket.write(payload);
  }
  onFrame(frame) {
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
        const { file, request } = device.open();
        if (request.status === Status.Success) this.files.set(file.id, file);
        return this.reply(tag, request.status, file.id);
      }
      const file = this.files.get(handle);
      if (file === undefined) return this.reply(tag, Status.InvalidHandle, 0);
      let req;
      switch (op) {
        case Op.Read:
          if (payload.length < 4) return this.reply(tag, Status.InvalidParameter, 0);
          req = device.request(Major.Read, file, { length: Math.min(payload.readUInt32LE(0), device.capacity) });
          req.setCompletionRoutine((r) => this.reply(tag, r.status, r.information, r.information ? r.buffer.subarray(0, r.information) : null));
          break;
        case Op.Write:
          req = device.request(Major.Write, file, { buffer: new Uint8Array(payload) });
          req.setCompletionRoutine((r) => this.reply(tag, r.status, r.information));
          break;
        case Op.Ioctl:
          if (payload.length < 8) return this.reply(tag, Status.InvalidParameter, 0);
          req = device.request(Major.DeviceControl, file, { ioControlCode: payload.readUInt32LE(0), length: payload.readUInt32LE(4) });
          req.setCompletionRoutine((r) => this.reply(tag, r.status, r.information, r.information ? r.buffer.subarray(0, r.information) : null));
          break;
        case Op.Close:
          this.files.delete(handle);
          device.close(file);
          return this.reply(tag, Status.Success, 0);
        default:
          return this.reply(tag, Status.InvalidDeviceRequest, 0);
      }
      device.dispatch(req);
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
  connections.add(new Connection(s));
  s.on('close', () => connections.forEach((c) => c.socket === s && connections.delete(c)));
});
server.listen(socketPath, () => console.log(`loopback: listening on ${socketPath}`));
const shutdown = async () => {
  server.close();
  for (const c of connections) c.socket.destroy(); // closes their handles: pending requests cancel
  await device.remove(); // returns once every request drained
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
