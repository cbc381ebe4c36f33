// Workloads for bench/generators.mjs.
//
// Each workload is a small classic-script program that defines `run(n)` and returns a checksum (an
// int32). It is assembled from three parts:
//   shared  - plain code both programs use (input data, helpers); never contains a generator
//   gen     - the generator functions under test
//   hand    - a hand-written iterator-class replacement for `gen`, with the same names and the same
//             observable behaviour (values, return values, side-effect order): the ceiling
//   driver  - `function run(n)`, identical text for both programs
// The generator program (shared + gen + driver) is what native, corosplit, regenerator and ts-es5
// run, each tool transforming the whole program as a build would. The hand-written program is
// shared + hand + driver, run as is.
//
// `n` is sized so that one `run(n)` takes roughly 20-50 ms with native generators on the reference
// machine (see bench/README.md); `--scale` multiplies it.
//
// The sources are plain strings: keep `${` out of them.

/** @typedef {{ name: string, title: string, n: number, shared?: string, gen: string, hand: string, driver: string }} Workload */

/** @type {Workload[]} */
export const workloads = [
  {
    name: 'pipeline',
    title: 'range -> map -> filter pipeline',
    n: 400_000,
    gen: `
function* range(n) { for (let i = 0; i < n; i++) yield i; }
function* map(it, f) { for (const x of it) yield f(x); }
function* filter(it, p) { for (const x of it) if (p(x)) yield x; }
`,
    hand: `
class RangeIter {
  constructor(n) { this.i = 0; this.n = n; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.i < this.n) return { value: this.i++, done: false };
    this.i = this.n;
    return { value: undefined, done: true };
  }
  return(v) { this.i = this.n; return { value: v, done: true }; }
}
class MapIter {
  constructor(it, f) { this.it = it[Symbol.iterator](); this.f = f; this.done = false; }
  [Symbol.iterator]() { return this; }
  next() {
    if (!this.done) {
      const r = this.it.next();
      if (!r.done) return { value: this.f(r.value), done: false };
      this.done = true;
    }
    return { value: undefined, done: true };
  }
  return(v) {
    if (!this.done) { this.done = true; if (typeof this.it.return === 'function') this.it.return(); }
    return { value: v, done: true };
  }
}
class FilterIter {
  constructor(it, p) { this.it = it[Symbol.iterator](); this.p = p; this.done = false; }
  [Symbol.iterator]() { return this; }
  next() {
    while (!this.done) {
      const r = this.it.next();
      if (r.done) { this.done = true; break; }
      if (this.p(r.value)) return { value: r.value, done: false };
    }
    return { value: undefined, done: true };
  }
  return(v) {
    if (!this.done) { this.done = true; if (typeof this.it.return === 'function') this.it.return(); }
    return { value: v, done: true };
  }
}
function range(n) { return new RangeIter(n); }
function map(it, f) { return new MapIter(it, f); }
function filter(it, p) { return new FilterIter(it, p); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (const x of filter(map(range(n), (x) => x * 3 + 1), (x) => (x & 1) === 0)) h = (h * 31 + x) | 0;
  return h;
}
`,
  },

  {
    name: 'fib-take',
    title: 'fib with take (take closes fib)',
    n: 12_000,
    gen: `
function* fib() {
  let a = 0, b = 1;
  for (;;) {
    yield a;
    const t = (a + b) | 0;
    a = b;
    b = t;
  }
}
function* take(it, k) {
  if (k <= 0) return;
  for (const x of it) {
    yield x;
    if (--k === 0) return;
  }
}
`,
    hand: `
class FibIter {
  constructor() { this.a = 0; this.b = 1; this.done = false; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.done) return { value: undefined, done: true };
    const a = this.a;
    const t = (a + this.b) | 0;
    this.a = this.b;
    this.b = t;
    return { value: a, done: false };
  }
  return(v) { this.done = true; return { value: v, done: true }; }
}
class TakeIter {
  constructor(it, k) { this.src = it; this.it = null; this.k = k; this.state = k <= 0 ? 2 : 0; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.state === 0) { this.it = this.src[Symbol.iterator](); this.state = 1; }
    else if (this.state === 1 && --this.k === 0) { this.state = 2; this.close(); }
    if (this.state === 1) {
      const r = this.it.next();
      if (!r.done) return { value: r.value, done: false };
      this.state = 2;
    }
    return { value: undefined, done: true };
  }
  close() { const it = this.it; this.it = null; if (it !== null && typeof it.return === 'function') it.return(); }
  return(v) {
    if (this.state === 1) { this.state = 2; this.close(); }
    this.state = 2;
    return { value: v, done: true };
  }
}
function fib() { return new FibIter(); }
function take(it, k) { return new TakeIter(it, k); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) {
    for (const x of take(fib(), 40 + (r & 15))) h = (h * 31 + x) | 0;
  }
  return h;
}
`,
  },

  {
    name: 'tree-walk',
    title: 'recursive yield* tree walk',
    n: 100,
    shared: `
function build(lo, hi) {
  if (lo > hi) return null;
  const mid = (lo + hi) >> 1;
  return { value: (mid * 37) & 1023, left: build(lo, mid - 1), right: build(mid + 1, hi) };
}
const TREE = build(0, 1022);
`,
    gen: `
function* walk(node) {
  if (node === null) return;
  yield* walk(node.left);
  yield node.value;
  yield* walk(node.right);
}
`,
    hand: `
// In-order traversal with an explicit stack: what a person writes instead of recursive yield*.
class WalkIter {
  constructor(root) { this.stack = []; this.node = root; }
  [Symbol.iterator]() { return this; }
  next() {
    let node = this.node;
    while (node !== null) { this.stack.push(node); node = node.left; }
    if (this.stack.length === 0) { this.node = null; return { value: undefined, done: true }; }
    node = this.stack.pop();
    this.node = node.right;
    return { value: node.value, done: false };
  }
  return(v) { this.stack.length = 0; this.node = null; return { value: v, done: true }; }
}
function walk(node) { return new WalkIter(node); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) for (const v of walk(TREE)) h = (h * 31 + v) | 0;
  return h;
}
`,
  },

  {
    name: 'tokenizer',
    title: 'character tokenizer',
    n: 200,
    shared: `
function makeInput(k) {
  const words = ['let', 'x1', '=', '42', '+', 'foo_bar', '*', '(', '7', ')', ';', '\\n', 'if', 'y', '>=', '1000', '{', 'return', 'z_9', '}', '\\t'];
  let s = '';
  for (let i = 0; i < k; i++) s += words[(i * 7) % words.length] + ((i % 3) === 0 ? '' : ' ');
  return s;
}
const INPUT = makeInput(4000);
function isDigit(c) { return c >= 48 && c <= 57; }
function isIdentStart(c) { return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95; }
function isIdentPart(c) { return isIdentStart(c) || isDigit(c); }
`,
    gen: `
function* tokenize(s) {
  let i = 0;
  const len = s.length;
  while (i < len) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9) { i++; continue; }
    const start = i;
    let kind;
    if (isDigit(c)) {
      kind = 1;
      do i++; while (i < len && isDigit(s.charCodeAt(i)));
    } else if (isIdentStart(c)) {
      kind = 2;
      do i++; while (i < len && isIdentPart(s.charCodeAt(i)));
    } else {
      kind = 3;
      i++;
      if (i < len && s.charCodeAt(i) === 61) i++;
    }
    yield { kind, start, end: i };
  }
}
`,
    hand: `
class TokenIter {
  constructor(s) { this.s = s; this.i = 0; this.len = s.length; }
  [Symbol.iterator]() { return this; }
  next() {
    const s = this.s, len = this.len;
    let i = this.i;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 9) { i++; continue; }
      const start = i;
      let kind;
      if (isDigit(c)) {
        kind = 1;
        do i++; while (i < len && isDigit(s.charCodeAt(i)));
      } else if (isIdentStart(c)) {
        kind = 2;
        do i++; while (i < len && isIdentPart(s.charCodeAt(i)));
      } else {
        kind = 3;
        i++;
        if (i < len && s.charCodeAt(i) === 61) i++;
      }
      this.i = i;
      return { value: { kind, start, end: i }, done: false };
    }
    this.i = len;
    return { value: undefined, done: true };
  }
  return(v) { this.i = this.len; return { value: v, done: true }; }
}
function tokenize(s) { return new TokenIter(s); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) {
    for (const t of tokenize(INPUT)) h = (h * 31 + t.kind * 1000 + t.end - t.start) | 0;
  }
  return h;
}
`,
  },

  {
    name: 'try-finally',
    title: 'yield inside try/finally in a loop',
    n: 4_500,
    gen: `
function* guarded(k, st) {
  for (let i = 0; i < k; i++) {
    try {
      if (i % 17 === 16) continue;
      yield i;
    } finally {
      st.count++;
    }
  }
}
`,
    hand: `
class GuardedIter {
  constructor(k, st) { this.k = k; this.st = st; this.i = 0; this.inTry = false; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.inTry) { this.inTry = false; this.st.count++; this.i++; }
    while (this.i < this.k) {
      if (this.i % 17 === 16) { this.st.count++; this.i++; continue; }
      this.inTry = true;
      return { value: this.i, done: false };
    }
    return { value: undefined, done: true };
  }
  return(v) {
    if (this.inTry) { this.inTry = false; this.st.count++; }
    this.i = this.k;
    return { value: v, done: true };
  }
}
function guarded(k, st) { return new GuardedIter(k, st); }
`,
    driver: `
function run(n) {
  const st = { count: 0 };
  let h = 0;
  for (let r = 0; r < n; r++) {
    for (const x of guarded(200, st)) h = (h * 31 + x + st.count) | 0;
  }
  return (h ^ st.count) | 0;
}
`,
  },

  {
    name: 'manual-next',
    title: 'manual next() loop (incl. the return value)',
    n: 200_000,
    gen: `
function* counter(start, step) {
  let x = start;
  for (;;) {
    yield x;
    x = (x + step) | 0;
  }
}
function* squares(k) {
  for (let i = 0; i < k; i++) yield i * i;
  return -1;
}
`,
    hand: `
class CounterIter {
  constructor(start, step) { this.x = start; this.step = step; this.started = false; this.done = false; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.done) return { value: undefined, done: true };
    if (this.started) this.x = (this.x + this.step) | 0;
    this.started = true;
    return { value: this.x, done: false };
  }
  return(v) { this.done = true; return { value: v, done: true }; }
}
class SquaresIter {
  constructor(k) { this.k = k; this.i = 0; this.state = 0; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.state === 0) {
      if (this.i < this.k) { const i = this.i++; return { value: i * i, done: false }; }
      this.state = 1;
      return { value: -1, done: true };
    }
    return { value: undefined, done: true };
  }
  return(v) { this.state = 1; return { value: v, done: true }; }
}
function counter(start, step) { return new CounterIter(start, step); }
function squares(k) { return new SquaresIter(k); }
`,
    driver: `
function run(n) {
  const g = counter(1, 3);
  let h = 0;
  for (let i = 0; i < n; i++) {
    const a = g.next().value;
    const it = squares(a & 7);
    let r;
    while (!(r = it.next()).done) h = (h * 31 + r.value) | 0;
    h = (h + r.value + a) | 0;
  }
  return h;
}
`,
  },

  {
    name: 'yield-expr',
    title: 'yield inside expressions, driven by next(v)',
    n: 1_200_000,
    shared: `
function mix(a, b, c) { return (a ^ (b << 1)) + c; }
`,
    gen: `
function* calc() {
  let acc = 0;
  for (;;) {
    const a = yield acc;
    const b = (yield a + 1) * 2 + (yield acc & 255);
    acc = (acc * 3 + mix(a, yield b, b)) | 0;
  }
}
`,
    hand: `
// The same state machine, written by hand: state = which yield the generator is suspended at.
class CalcIter {
  constructor() { this.state = 0; this.acc = 0; this.a = 0; this.x = 0; this.b = 0; }
  [Symbol.iterator]() { return this; }
  next(v) {
    switch (this.state) {
      case 0: this.state = 1; return { value: this.acc, done: false };
      case 1: this.a = v; this.state = 2; return { value: v + 1, done: false };
      case 2: this.x = v * 2; this.state = 3; return { value: this.acc & 255, done: false };
      case 3: this.b = this.x + v; this.state = 4; return { value: this.b, done: false };
      case 4:
        this.acc = (this.acc * 3 + mix(this.a, v, this.b)) | 0;
        this.state = 1;
        return { value: this.acc, done: false };
      default: return { value: undefined, done: true };
    }
  }
  return(v) { this.state = 5; return { value: v, done: true }; }
}
function calc() { return new CalcIter(); }
`,
    driver: `
function run(n) {
  const g = calc();
  let h = g.next().value;
  for (let i = 0; i < n; i++) {
    const r = g.next((i * 7) & 1023);
    h = (h * 31 + r.value) | 0;
  }
  return h;
}
`,
  },

  {
    name: 'destructuring',
    title: 'destructuring in the generator body',
    n: 350,
    shared: `
function makeRecords(k) {
  const out = [];
  for (let i = 0; i < k; i++) {
    out.push({ id: i, pos: [i % 13, (i * 7) % 11], tags: (i & 1) ? { a: i & 15 } : { a: 1, b: i % 5 } });
  }
  return out;
}
const RECORDS = makeRecords(1000);
`,
    gen: `
function* entries(records) {
  for (const { id, pos: [x, y], tags: { a = 0, b = 2 } } of records) {
    const [lo, hi] = x < y ? [x, y] : [y, x];
    const { span = hi - lo, w } = { w: a * b };
    yield [id, lo, hi, span, w];
  }
}
`,
    hand: `
class EntriesIter {
  constructor(records) { this.records = records; this.i = 0; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.i >= this.records.length) { this.i = Infinity; return { value: undefined, done: true }; }
    const { id, pos: [x, y], tags: { a = 0, b = 2 } } = this.records[this.i++];
    const lo = x < y ? x : y, hi = x < y ? y : x;
    return { value: [id, lo, hi, hi - lo, a * b], done: false };
  }
  return(v) { this.i = Infinity; return { value: v, done: true }; }
}
function entries(records) { return new EntriesIter(records); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) {
    for (const [id, lo, hi, span, w] of entries(RECORDS)) h = (h * 31 + id + lo * 3 + hi * 5 + span * 7 + w) | 0;
  }
  return h;
}
`,
  },

  {
    name: 'class-methods',
    title: 'class generator methods (instance, [Symbol.iterator], static)',
    n: 350,
    gen: `
class Grid {
  constructor(w, h) {
    this.w = w;
    this.h = h;
    this.data = [];
    for (let i = 0; i < w * h; i++) this.data.push((i * 37 + 11) % 1000);
  }
  get(x, y) { return this.data[y * this.w + x]; }
  *row(y) { for (let x = 0; x < this.w; x++) yield this.get(x, y); }
  *[Symbol.iterator]() { for (let y = 0; y < this.h; y++) yield* this.row(y); }
  static *coords(w, h) { for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) yield x * 1000 + y; }
}
`,
    hand: `
class Grid {
  constructor(w, h) {
    this.w = w;
    this.h = h;
    this.data = [];
    for (let i = 0; i < w * h; i++) this.data.push((i * 37 + 11) % 1000);
  }
  get(x, y) { return this.data[y * this.w + x]; }
  row(y) { return new GridIter(this, y, y + 1); }
  [Symbol.iterator]() { return new GridIter(this, 0, this.h); }
  static coords(w, h) { return new CoordsIter(w, h); }
}
class GridIter {
  constructor(grid, y, yEnd) { this.grid = grid; this.x = 0; this.y = y; this.yEnd = yEnd; }
  [Symbol.iterator]() { return this; }
  next() {
    const g = this.grid;
    while (this.y < this.yEnd) {
      if (this.x < g.w) return { value: g.get(this.x++, this.y), done: false };
      this.x = 0;
      this.y++;
    }
    return { value: undefined, done: true };
  }
  return(v) { this.y = this.yEnd; return { value: v, done: true }; }
}
class CoordsIter {
  constructor(w, h) { this.w = w; this.h = h; this.x = 0; this.y = 0; }
  [Symbol.iterator]() { return this; }
  next() {
    while (this.y < this.h) {
      if (this.x < this.w) return { value: this.x++ * 1000 + this.y, done: false };
      this.x = 0;
      this.y++;
    }
    return { value: undefined, done: true };
  }
  return(v) { this.y = this.h; return { value: v, done: true }; }
}
`,
    driver: `
const GRID = new Grid(40, 40);
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) {
    for (const v of GRID) h = (h * 31 + v) | 0;
    for (const c of Grid.coords(12, 12)) h = (h + c) | 0;
  }
  return h;
}
`,
  },

  {
    name: 'early-break',
    title: 'early break out of for-of (return() runs the finally)',
    n: 50_000,
    gen: `
function* resource(k, log) {
  log.opened++;
  try {
    for (let i = 0; i < k; i++) yield i;
  } finally {
    log.closed++;
  }
}
`,
    hand: `
class ResourceIter {
  constructor(k, log) { this.k = k; this.log = log; this.i = 0; this.state = 0; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.state === 0) { this.log.opened++; this.state = 1; }
    else if (this.state === 1) this.i++;
    if (this.state === 1) {
      if (this.i < this.k) return { value: this.i, done: false };
      this.state = 2;
      this.log.closed++;
    }
    return { value: undefined, done: true };
  }
  return(v) {
    if (this.state === 1) this.log.closed++;
    this.state = 2;
    return { value: v, done: true };
  }
}
function resource(k, log) { return new ResourceIter(k, log); }
`,
    driver: `
function run(n) {
  const log = { opened: 0, closed: 0 };
  let h = 0;
  for (let r = 0; r < n; r++) {
    const stop = 3 + (r % 29);
    for (const x of resource(1000, log)) {
      if (x === stop) break;
      h = (h * 31 + x) | 0;
    }
    const [p, q] = resource(10, log);
    h = (h + p * 3 + q) | 0;
  }
  if (log.opened !== log.closed) return -1;
  return (h + log.opened * 7 + log.closed * 13) | 0;
}
`,
  },
  {
    name: 'loop-closures',
    title: 'closures capturing per-iteration loop bindings',
    n: 60_000,
    gen: `
function* callbacks(k) {
  for (let i = 0; i < k; i++) {
    const twice = i * 2;
    yield () => i + twice;
  }
}
`,
    hand: `
class CallbacksIter {
  constructor(k) { this.k = k; this.i = 0; this.started = false; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.started) this.i++;
    this.started = true;
    if (this.i < this.k) {
      const i = this.i;
      const twice = i * 2;
      return { value: () => i + twice, done: false };
    }
    this.i = this.k;
    return { value: undefined, done: true };
  }
  return(v) { this.i = this.k; return { value: v, done: true }; }
}
function callbacks(k) { return new CallbacksIter(k); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) {
    const fs = [];
    for (const f of callbacks(8 + (r % 5))) fs.push(f);
    for (let j = 0; j < fs.length; j++) h = (h * 31 + fs[j]()) | 0;
  }
  return h;
}
`,
  },
  {
    name: 'destructure-delegate',
    title: 'destructuring combined with yield* delegation',
    n: 30_000,
    shared: `
const ROWS = [];
for (let i = 0; i < 32; i++) ROWS.push({ id: i, tags: ['t' + (i % 3), 'u' + (i % 5)], pos: [i, i * 2] });
`,
    gen: `
function* fields(row) {
  const { id, tags: [first, second], pos: [x, y] } = row;
  yield id;
  yield first.length + second.length;
  return x + y;
}
function* all(rows) {
  let total = 0;
  for (const row of rows) total += yield* fields(row);
  return total;
}
`,
    hand: `
class FieldsIter {
  constructor(row) { this.row = row; this.state = 0; }
  [Symbol.iterator]() { return this; }
  next() {
    const { id, tags: [first, second], pos: [x, y] } = this.row;
    if (this.state === 0) { this.state = 1; return { value: id, done: false }; }
    if (this.state === 1) { this.state = 2; return { value: first.length + second.length, done: false }; }
    if (this.state === 2) { this.state = 3; return { value: x + y, done: true }; }
    return { value: undefined, done: true };
  }
}
class AllIter {
  constructor(rows) { this.rows = rows; this.i = 0; this.inner = null; this.total = 0; this.done = false; }
  [Symbol.iterator]() { return this; }
  next() {
    while (!this.done) {
      if (this.inner === null) {
        if (this.i >= this.rows.length) { this.done = true; return { value: this.total, done: true }; }
        this.inner = new FieldsIter(this.rows[this.i++]);
      }
      const r = this.inner.next();
      if (!r.done) return r;
      this.total += r.value;
      this.inner = null;
    }
    return { value: undefined, done: true };
  }
}
function all(rows) { return new AllIter(rows); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) {
    const it = all(ROWS);
    let s = it.next();
    while (!s.done) { h = (h * 31 + s.value) | 0; s = it.next(); }
    h = (h + s.value) | 0;
  }
  return h;
}
`,
  },
  {
    name: 'spread-take',
    title: 'spreading a generator: [...take(gen(), n)]',
    n: 40_000,
    gen: `
function* naturals() { for (let i = 0; ; i++) yield i; }
function* take(it, k) {
  if (k <= 0) return;
  for (const x of it) {
    yield x;
    if (--k <= 0) return;
  }
}
`,
    hand: `
class NaturalsIter {
  constructor() { this.i = -1; this.closed = false; }
  [Symbol.iterator]() { return this; }
  next() { if (this.closed) return { value: undefined, done: true }; this.i++; return { value: this.i, done: false }; }
  return(v) { this.closed = true; return { value: v, done: true }; }
}
function naturals() { return new NaturalsIter(); }
class TakeIter {
  constructor(it, k) { this.src = it; this.k = k; this.inner = null; this.state = 0; }
  [Symbol.iterator]() { return this; }
  next() {
    if (this.state === 0) {
      if (this.k <= 0) { this.state = 2; return { value: undefined, done: true }; }
      this.inner = this.src[Symbol.iterator]();
      this.state = 1;
    } else if (this.state === 1) {
      if (--this.k <= 0) { this.state = 2; const r = this.inner.return; if (r !== undefined) r.call(this.inner); return { value: undefined, done: true }; }
    } else return { value: undefined, done: true };
    const r = this.inner.next();
    if (r.done) { this.state = 2; return { value: undefined, done: true }; }
    return { value: r.value, done: false };
  }
  return(v) {
    if (this.state === 1) { this.state = 2; const r = this.inner.return; if (r !== undefined) r.call(this.inner); }
    this.state = 2;
    return { value: v, done: true };
  }
}
function take(it, k) { return new TakeIter(it, k); }
`,
    driver: `
function run(n) {
  let h = 0;
  for (let r = 0; r < n; r++) {
    const xs = [...take(naturals(), 5 + (r % 20))];
    for (let j = 0; j < xs.length; j++) h = (h * 31 + xs[j]) | 0;
  }
  return h;
}
`,
  },
];

/** The program the generator variants transform: shared + gen + driver. */
export function generatorProgram(w) {
  return `${w.shared ?? ''}${w.gen}${w.driver}`;
}

/** The hand-written program: shared + hand + driver. */
export function handProgram(w) {
  return `${w.shared ?? ''}${w.hand}${w.driver}`;
}
