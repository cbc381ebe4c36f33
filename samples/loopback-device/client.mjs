#!/usr/bin/env node
// Client library and CLI for the loopback server.
//
//   node samples/loopback-device/client.mjs [--socket PATH] write TEXT     write TEXT through a new handle
//   node samples/loopback-device/client.mjs [--socket PATH] read N         read up to N bytes (waits for data)
//   node samples/loopback-device/client.mjs [--socket PATH] stats          print the device statistics
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { FrameReader, Op, encodeRequest } from './protocol.mjs';

export const IOCTL_STATS = 0x220004;
export const STATUS_SUCCESS = 0;

/** One connection; every call sends a request and resolves with `{ status, information, payload }`. */
export class LoopbackClient {
  static connect(path) {
    return new Promise((res, rej) => {
      const s = net.createConnection(path);
      s.once('connect', () => res(new LoopbackClient(s)));
      s.once('error', rej);
    });
  }
  constructor(socket) {
    this.socket = socket;
    this.nextTag = 1;
    this.waiting = new Map();
    this.closed = false;
    this.reader = new FrameReader(
      (f) => {
        const tag = f.readUInt32LE(0);
        const w = this.waiting.get(tag);
        if (w === undefined) return;
        this.waiting.delete(tag);
        w.res({ status: f.readUInt32LE(4), information: f.readUInt32LE(8), payload: f.subarray(12) });
      },
      (e) => socket.destroy(e),
    );
    socket.on('data', (c) => this.reader.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiting.values()) w.rej(new Error('connection closed'));
      this.waiting.clear();
    });
  }
  send(op, handle, payload) {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    const tag = this.nextTag++;
    return new Promise((res, rej) => {
      this.waiting.set(tag, { res, rej });
      this.socket.write(encodeRequest(op, tag, handle, payload));
    });
  }
  async open() {
    const r = await this.send(Op.Open, 0);
    if (r.status !== STATUS_SUCCESS) throw new Error(`open failed: 0x${r.status.toString(16)}`);
    return r.information;
  }
  read(handle, length) {
    const p = Buffer.allocUnsafe(4);
    p.writeUInt32LE(length, 0);
    return this.send(Op.Read, handle, p);
  }
  write(handle, data) {
    return this.send(Op.Write, handle, data);
  }
  ioctl(handle, code, outLength, input) {
    const p = Buffer.alloc(8 + (input ? input.length : 0));
    p.writeUInt32LE(code, 0);
    p.writeUInt32LE(outLength, 4);
    if (input) p.set(input, 8);
    return this.send(Op.Ioctl, handle, p);
  }
  async stats(handle) {
    const r = await this.ioctl(handle, IOCTL_STATS, 1 << 16);
    if (r.status !== STATUS_SUCCESS) throw new Error(`stats failed: 0x${r.status.toString(16)}`);
    return JSON.parse(r.payload.toString('utf8'));
  }
  closeHandle(handle) {
    return this.send(Op.Close, handle);
  }
  /** Drops the connection at once, whatever is in flight (the server cancels it). */
  destroy() {
    this.socket.destroy();
  }
  end() {
    return new Promise((res) => {
      if (this.closed) return res();
      this.socket.once('close', res);
      this.socket.end();
    });
  }
}

async function main(argv) {
  let socket = '/tmp/corosplit-loopback.sock';
  const i = argv.indexOf('--socket');
  if (i >= 0) {
    socket = argv[i + 1];
    argv.splice(i, 2);
  }
  const [cmd, arg] = argv;
  const c = await LoopbackClient.connect(socket);
  const h = await c.open();
  try {
    if (cmd === 'write') {
      const r = await c.write(h, Buffer.from(arg ?? '', 'utf8'));
      console.log(r.status === STATUS_SUCCESS ? `wrote ${r.information} bytes` : `write failed: 0x${r.status.toString(16)}`);
    } else if (cmd === 'read') {
      const r = await c.read(h, Number(arg ?? 4096));
      if (r.status !== STATUS_SUCCESS) console.log(`read failed: 0x${r.status.toString(16)}`);
      else process.stdout.write(r.payload.toString('utf8') + '\n');
    } else if (cmd === 'stats') {
      console.log(JSON.stringify(await c.stats(h), null, 2));
    } else {
      console.error('usage: client.mjs [--socket PATH] write TEXT | read N | stats');
      process.exitCode = 2;
    }
  } finally {
    await c.closeHandle(h).catch(() => {});
    await c.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
