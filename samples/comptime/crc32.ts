// CRC-32 with its 256-entry table computed at build time.
import { comptime } from 'corosplit/comptime';
import { crcTable } from './lib/crc.js';

const TABLE: number[] = comptime(() => crcTable());

/** CRC-32 of a Latin-1 string (one byte per character). */
export function crc32(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = TABLE[(c ^ text.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

console.log(crc32('The quick brown fox jumps over the lazy dog').toString(16));
