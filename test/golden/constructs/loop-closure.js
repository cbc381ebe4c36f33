// Closures capturing a per-iteration binding across a yield each see their own iteration.
function* g() {
  const fs = [];
  for (let i = 0; i < 3; i++) {
    fs.push(() => i);
    yield i;
  }
  return fs.map((f) => f());
}
const it = g();
var result = [it.next(), it.next(), it.next(), it.next()];
