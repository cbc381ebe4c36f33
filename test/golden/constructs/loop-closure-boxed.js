// A per-iteration binding the body writes after a closure took it: each closure keeps its
// iteration's box and sees the write, never a later iteration's value.
function* g() {
  const fs = [];
  for (let i = 0; i < 3; i++) {
    fs.push(() => i);
    yield i;
    i += 10;
  }
  return fs.map((f) => f());
}
const it = g();
var result = [it.next(), it.next(), it.next(), it.next(), it.next()];
