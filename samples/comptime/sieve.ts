// The primes below 10,000, sieved at build time; primality tests at run time are a binary search.
import { comptime } from 'corosplit/comptime';
import { primesBelow } from './lib/primes.js';

export const PRIMES: number[] = comptime(() => [...primesBelow(10_000)]);

export function isPrime(n: number): boolean {
  let lo = 0;
  let hi = PRIMES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (PRIMES[mid] === n) return true;
    if (PRIMES[mid]! < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

console.log(PRIMES.length, PRIMES[PRIMES.length - 1], isPrime(7919), isPrime(7917));
