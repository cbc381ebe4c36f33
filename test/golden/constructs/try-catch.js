// throw() at a yield inside try reaches the catch block.
function* g() {
  try {
    yield 1;
  } catch (e) {
    yield 'caught ' + e;
  }
  return 'done';
}
const it = g();
var result = [it.next(), it.throw('x'), it.next()];
