// Generators used at build time by the comptime samples.
export function* fib(): Generator<number, never, unknown> {
  let a = 0;
  let b = 1;
  for (;;) {
    yield a;
    [a, b] = [b, a + b];
  }
}

export function* take<T>(it: Iterable<T>, n: number): Generator<T, void, unknown> {
  if (n <= 0) return;
  let i = 0;
  for (const x of it) {
    yield x;
    if (++i >= n) return;
  }
}
