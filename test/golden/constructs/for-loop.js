// A counted loop around a yield: one resume function keeps the loop structured.
function* range(n) {
  for (let i = 0; i < n; i++) yield i;
}
var result = [...range(4)];
