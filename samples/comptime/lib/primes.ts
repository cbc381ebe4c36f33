// The sieve of Eratosthenes as a generator of the primes below a bound.
export function* primesBelow(limit: number): Generator<number, void, unknown> {
  const composite = new Uint8Array(limit);
  for (let i = 2; i < limit; i++) {
    if (composite[i]) continue;
    yield i;
    for (let j = i * i; j < limit; j += i) composite[j] = 1;
  }
}
