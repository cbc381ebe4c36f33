// The wire protocol between loopback clients and the server (see README.md). Little-endian.
//   request: u32 size | u8 op | u32 tag | u32 handle | payload        (size counts from op on)
//   reply:   u32 size | u32 tag | u32 status | u32 information | payload
export const Op = { Open: 1, Read: 2, Write: 3, Ioctl: 4, Close: 5 };
export const REQUEST_HEADER = 13;
export const REPLY_HEADER = 16;
/** Largest frame either side accepts; bounds per-connection memory. */
export const MAX_FRAME = (1 << 20) + 64;

export function encodeRequest(op, tag, handle, payload) {
  const n = payload ? payload.length : 0;
  const b = Buffer.allocUnsafe(REQUEST_HEADER + n);
  b.writeUInt32LE(9 + n, 0);
  b.writeUInt8(op, 4);
  b.writeUInt32LE(tag, 5);
  b.writeUInt32LE(handle, 9);
  if (n) b.set(payload, REQUEST_HEADER);
  return b;
}

export function encodeReplyHeader(tag, status, information, payloadLength) {
  const b = Buffer.allocUnsafe(REPLY_HEADER);
  b.writeUInt32LE(12 + payloadLength, 0);
  b.writeUInt32LE(tag, 4);
  b.writeUInt32LE(status >>> 0, 8);
  b.writeUInt32LE(information, 12);
  return b;
}

/**
 * Splits a byte stream into frames: push() chunks, get whole frames (size prefix stripped) back.
 * While paused, chunks are only stored (the owner stops reading its socket, so at most one more
 * chunk arrives); resume() delivers what was held.
 */
export class FrameReader {
  constructor(onFrame, onError) {
    this.chunks = [];
    this.length = 0;
    this.paused = false;
    this.onFrame = onFrame;
    this.onError = onError;
  }
  push(chunk) {
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.deliver();
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
    this.deliver();
  }
  deliver() {
    while (!this.paused) {
      if (this.length < 4) return;
      if (this.chunks[0].length < 4) this.chunks = [Buffer.concat(this.chunks)];
      const size = this.chunks[0].readUInt32LE(0);
      if (size > MAX_FRAME) return this.onError(new Error(`frame of ${size} bytes exceeds the limit`));
      if (this.length < 4 + size) return; // wait for the whole frame before copying anything
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      const rest = all.subarray(4 + size);
      this.chunks = rest.length ? [rest] : [];
      this.length = rest.length;
      this.onFrame(all.subarray(4, 4 + size));
    }
  }
}
