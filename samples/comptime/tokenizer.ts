// A generator tokenizer whose character-class table and keyword set are computed at build time
// (the tokenizer example P3367 left as a TODO). Only the tables reach the output, not lib/charclass.
import { comptime } from 'corosplit/comptime';
import { classTable, KEYWORDS } from './lib/charclass.js';

const CLASS: number[] = comptime(() => classTable());
const KEYWORD: Record<string, true> = comptime(() => Object.fromEntries(KEYWORDS.map((k) => [k, true] as const)));

export type Token = { kind: 'number' | 'ident' | 'keyword' | 'punct'; text: string; at: number };

const classOf = (c: number): number => (c < 128 ? CLASS[c]! : 0);

export function* tokenize(src: string): Generator<Token, void, unknown> {
  let i = 0;
  while (i < src.length) {
    const k = classOf(src.charCodeAt(i));
    const start = i;
    if (k === 1) {
      i++;
      continue;
    }
    if (k === 2) {
      while (i < src.length && classOf(src.charCodeAt(i)) === 2) i++;
      yield { kind: 'number', text: src.slice(start, i), at: start };
    } else if (k === 3) {
      while (i < src.length && (classOf(src.charCodeAt(i)) === 3 || classOf(src.charCodeAt(i)) === 2)) i++;
      const text = src.slice(start, i);
      yield { kind: Object.hasOwn(KEYWORD, text) ? 'keyword' : 'ident', text, at: start };
    } else if (k === 4) {
      i++;
      yield { kind: 'punct', text: src[start]!, at: start };
    } else {
      throw new SyntaxError(`unexpected character '${src[start]}' at ${start}`);
    }
  }
}

console.log([...tokenize('let x1 = (y + 42) * z;')].map((t) => `${t.kind}:${t.text}`).join(' '));
