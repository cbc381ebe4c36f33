// yield* forwards next, throw and return to the inner iterator and returns its result.
function* inner() {
  const a = yield 'i1';
  return 'inner got ' + a;
}
function* outer() {
  const r = yield* inner();
  yield r;
}
const it = outer();
var result = [it.next(), it.next('A'), it.next()];
