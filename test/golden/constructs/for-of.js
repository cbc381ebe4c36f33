// for-of around a suspension: the iterator is kept in the frame and closed on return().
const closed = [];
function* source() {
  try { yield 1; yield 2; yield 3; } finally { closed.push('source'); }
}
function* doubled() {
  for (const x of source()) yield x * 2;
}
const it = doubled();
var result = [it.next(), it.next(), it.return(0), closed];
