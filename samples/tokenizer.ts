// A small tokenizer written with generators: a class with a public and a private generator
// method, delegation with yield*, and a try/finally that must run when the consumer stops early.
export type Token = { kind: 'num' | 'op' | 'ident'; text: string; at: number };

export class Tokenizer {
  constructor(private readonly text: string) {}

  *tokens(): Generator<Token, number, undefined> {
    let count = 0;
    try {
      for (const t of this.#scan(0)) {
        count++;
        yield t;
      }
    } finally {
      console.log(`tokenizer: ${count} tokens`);
    }
    return count;
  }

  *#scan(from: number): Generator<Token, void, undefined> {
    let i = from;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === ' ') {
        i++;
        continue;
      }
      const start = i;
      if (/[0-9]/.test(c)) {
        while (i < this.text.length && /[0-9]/.test(this.text[i])) i++;
        yield { kind: 'num', text: this.text.slice(start, i), at: start };
      } else if (/[a-z]/i.test(c)) {
        while (i < this.text.length && /[a-z0-9]/i.test(this.text[i])) i++;
        yield { kind: 'ident', text: this.text.slice(start, i), at: start };
      } else {
        i++;
        yield { kind: 'op', text: c, at: start };
      }
    }
  }
}

export const util = {
  *lines(text: string): Generator<string, void, undefined> {
    for (const line of text.split('\n')) if (line.trim()) yield line;
  },
  *all(text: string): Generator<Token, void, undefined> {
    for (const line of util.lines(text)) yield* new Tokenizer(line).tokens();
  },
};

console.log([...util.all('x = 12 + y3\nz * 4')].map((t) => t.text).join(' '));
