// Sloppy code: delete of a variable is false and deletes nothing, also when the variable lives in the frame.
function* g() {
  var x = 1;
  const f = () => x;
  yield 0;
  var r = delete x;
  yield [r, x, f(), delete this];
}
var result = [...g()];
