// Sloppy code: a labelled function declaration is hoisted like an unlabelled one, and in a block it also gets the var.
function* g() {
  yield lf();
  a: function lf() { return 'lf'; }
  {
    b: function bl() { return 'bl'; }
  }
  yield typeof bl;
}
var result = [...g()];
