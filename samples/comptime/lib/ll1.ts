// A tiny LL(1) parser generator: grammar text → productions + parse table (FIRST/FOLLOW sets by
// fixed-point iteration). Runs at build time; only its output reaches the program.
export interface Production {
  lhs: string;
  rhs: string[];
}

export interface ParseTable {
  start: string;
  productions: Production[];
  /** table[nonterminal][terminal] = production index */
  table: Record<string, Record<string, number>>;
}

export const EOF = '$';

function* lines(text: string): Generator<string, void, unknown> {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t && !t.startsWith('#')) yield t;
  }
}

/** `A -> x B | ε` per line; the first left-hand side is the start symbol. */
export function compileGrammar(text: string): ParseTable {
  const productions: Production[] = [];
  for (const line of lines(text)) {
    const [lhs, alts] = line.split('->').map((s) => s.trim());
    if (!lhs || alts === undefined) throw new SyntaxError(`bad grammar line: ${line}`);
    for (const alt of alts.split('|')) {
      const rhs = alt.trim().split(/\s+/).filter((s) => s && s !== 'ε');
      productions.push({ lhs, rhs });
    }
  }
  const nonterminals = new Set(productions.map((p) => p.lhs));
  const start = productions[0]!.lhs;
  const first = new Map<string, Set<string>>([...nonterminals].map((n) => [n, new Set<string>()]));
  const nullable = new Set<string>();
  const firstOf = (symbols: string[]): { set: Set<string>; nullable: boolean } => {
    const set = new Set<string>();
    for (const s of symbols) {
      if (!nonterminals.has(s)) {
        set.add(s);
        return { set, nullable: false };
      }
      for (const t of first.get(s)!) set.add(t);
      if (!nullable.has(s)) return { set, nullable: false };
    }
    return { set, nullable: true };
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of productions) {
      const f = firstOf(p.rhs);
      const target = first.get(p.lhs)!;
      for (const t of f.set) if (!target.has(t)) (target.add(t), (changed = true));
      if (f.nullable && !nullable.has(p.lhs)) (nullable.add(p.lhs), (changed = true));
    }
  }
  const follow = new Map<string, Set<string>>([...nonterminals].map((n) => [n, new Set<string>()]));
  follow.get(start)!.add(EOF);
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of productions) {
      p.rhs.forEach((s, i) => {
        if (!nonterminals.has(s)) return;
        const rest = firstOf(p.rhs.slice(i + 1));
        const target = follow.get(s)!;
        const add = [...rest.set, ...(rest.nullable ? follow.get(p.lhs)! : [])];
        for (const t of add) if (!target.has(t)) (target.add(t), (changed = true));
      });
    }
  }
  const table: Record<string, Record<string, number>> = {};
  productions.forEach((p, index) => {
    const row = (table[p.lhs] ??= {});
    const f = firstOf(p.rhs);
    const lookahead = [...f.set, ...(f.nullable ? follow.get(p.lhs)! : [])];
    for (const t of lookahead) {
      if (row[t] !== undefined && row[t] !== index) throw new Error(`grammar is not LL(1): ${p.lhs} on '${t}'`);
      row[t] = index;
    }
  });
  return { start, productions, table };
}
