// A direct eval in a generator that never yields: the body stays whole, in an arrow the ramp makes.
function* g(p) {
  let x = 1;
  return eval('p + x');
}
var result = g(41).next();
