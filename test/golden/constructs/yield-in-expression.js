// Operands evaluated before a suspension point are spilled, in source order.
const log = [];
const f = (x) => (log.push(x), x);
function* g() {
  const r = f(1) + (yield f(2)) * f(3);
  return r;
}
const it = g();
var result = [it.next().value, it.next(10), log];
