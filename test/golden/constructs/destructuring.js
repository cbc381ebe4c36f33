// A destructuring pattern whose default yields: the pattern is taken apart around the yield.
function* g(o) {
  const { a, b = yield 'need b' } = o;
  return [a, b];
}
const it = g({ a: 1 });
var result = [it.next(), it.next(2), [...g({ a: 1, b: 3 })]];
