// A suspension inside try with finally: return() runs the finally block, which may suspend again.
const log = [];
function* g() {
  try {
    yield 1;
    yield 2;
  } finally {
    log.push('f');
    yield 3;
  }
}
const it = g();
var result = [it.next(), it.return(9), it.next(), it.next(), log];
