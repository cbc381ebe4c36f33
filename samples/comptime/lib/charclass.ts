// Character classes of the sample tokenizer, computed at build time from ranges.
export const CharClass = { OTHER: 0, SPACE: 1, DIGIT: 2, IDENT: 3, PUNCT: 4 } as const;

function* range(from: string, to: string): Generator<number, void, unknown> {
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) yield c;
}

function* classes(): Generator<[number, number], void, unknown> {
  for (const c of ' \t\r\n') yield [c.charCodeAt(0), CharClass.SPACE];
  for (const c of range('0', '9')) yield [c, CharClass.DIGIT];
  for (const c of range('a', 'z')) yield [c, CharClass.IDENT];
  for (const c of range('A', 'Z')) yield [c, CharClass.IDENT];
  yield ['_'.charCodeAt(0), CharClass.IDENT];
  for (const c of '+-*/=(){};,<>') yield [c.charCodeAt(0), CharClass.PUNCT];
}

/** One class per ASCII code point. */
export function classTable(): number[] {
  const table = new Array<number>(128).fill(CharClass.OTHER);
  for (const [c, k] of classes()) table[c] = k;
  return table;
}

export const KEYWORDS = ['let', 'if', 'else', 'while', 'return', 'function'];
