// A labelled break out of nested loops from after a yield.
function* g() {
  outer: for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      if ((yield [i, j]) === 'stop') break outer;
    }
  }
  return 'out';
}
const it = g();
var result = [it.next(), it.next(), it.next('stop')];
