// A switch whose cases yield: fall-through and break keep their meaning across resume points.
function* g(k) {
  switch (k) {
    case 1:
      yield 'one';
    case 2:
      yield 'two';
      break;
    default:
      yield 'other';
  }
  yield 'after';
}
var result = [[...g(1)], [...g(2)], [...g(3)]];
