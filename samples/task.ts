// Task<T>: lazy coroutines written as `function*` with a Task return type. `yield* x` is co_await:
// awaiting a child task, a timer or a group of tasks. Lower it with the type checker (ts-patch, or
// transformProgram / `corosplit program`), since Task is recognised through its [promiseType] key.
import { type Lazy, type Task, sleep, toPromise, whenAll } from 'corosplit/runtime';

function* fib(n: number): Task<number> {
  if (n < 2) return n;
  return (yield* fib(n - 1)) + (yield* fib(n - 2));
}

function* slowSquare(x: number, ms: number): Task<number> {
  yield* sleep(ms);
  return x * x;
}

function* failing(what: string): Task<number> {
  throw new Error(`${what} failed`);
}

// Lazy<T>: a task that only runs when awaited.
function* cached(log: string[]): Lazy<string> {
  log.push('computing');
  return 'cached value';
}

export function* main(): Task<string[]> {
  const out: string[] = [];
  out.push(`fib(20) = ${yield* fib(20)}`);
  const [a, b, c] = yield* whenAll(slowSquare(2, 5), slowSquare(3, 1), slowSquare(4, 3));
  out.push(`squares = ${a} ${b} ${c}`);
  try {
    yield* failing('the child');
  } catch (e) {
    out.push(`caught: ${(e as Error).message}`);
  } finally {
    out.push('finally ran');
  }
  const log: string[] = [];
  const lazy = cached(log);
  out.push(`before await: ${log.length} computations`);
  out.push(`${yield* lazy} after ${log.length} computation`);
  return out;
}

toPromise(main()).then((lines) => console.log(lines.join('\n')));
