// Sloppy code: inside with, a variable kept as a same-named segment local is looked up on the object first.
function* g(o) {
  var y = 1;
  yield 0;
  with (o) {
    y = 7;
  }
  yield [y, o.y];
}
var result = [[...g({})], [...g({ y: 0 })]];
