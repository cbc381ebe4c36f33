// P3367's example: a Fibonacci table computed at build time by generators, emitted as a literal.
import { comptime } from 'corosplit/comptime';
import { fib, take } from './lib/seq.js';

export const table: number[] = comptime(() => [...take(fib(), 20)]);

console.log(table.join(' '));
