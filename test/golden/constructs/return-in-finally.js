// A return inside finally overrides the pending throw.
function* g() {
  try {
    yield 1;
    throw new Error('lost');
  } finally {
    return 'finally wins';
  }
}
const it = g();
var result = [it.next(), it.next()];
