// An arithmetic grammar compiled to an LL(1) parse table at build time; the parser below drives
// the table at run time (tokens from a generator) and evaluates the parse tree.
import { comptime } from 'corosplit/comptime';
import { compileGrammar } from './lib/ll1.js';

const GRAMMAR: { start: string; productions: { lhs: string; rhs: string[] }[]; table: Record<string, Record<string, number>> } = comptime(() =>
  compileGrammar(`
    E  -> T E'
    E' -> + T E' | - T E' | ε
    T  -> F T'
    T' -> * F T' | / F T' | ε
    F  -> ( E ) | num
  `),
);

type Tok = { t: string; v?: number };
type Tree = { sym: string; kids: Tree[]; v?: number };

function* lex(src: string): Generator<Tok, void, unknown> {
  const re = /\s*(?:(\d+)|(.))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    if (m[1] !== undefined) yield { t: 'num', v: Number(m[1]) };
    else if (m[2] !== undefined) yield { t: m[2] };
  }
  yield { t: '$' };
}

export function parse(src: string): Tree {
  const tokens = lex(src);
  let look = tokens.next().value as Tok;
  const root: Tree = { sym: GRAMMAR.start, kids: [] };
  const stack: Tree[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const row = GRAMMAR.table[node.sym];
    if (!row) {
      if (node.sym !== look.t) throw new SyntaxError(`expected '${node.sym}', found '${look.t}'`);
      node.v = look.v;
      look = tokens.next().value as Tok;
      continue;
    }
    const p = row[look.t];
    if (p === undefined) throw new SyntaxError(`unexpected '${look.t}' while parsing ${node.sym}`);
    node.kids = GRAMMAR.productions[p]!.rhs.map((sym) => ({ sym, kids: [] }));
    for (let i = node.kids.length - 1; i >= 0; i--) stack.push(node.kids[i]!);
  }
  if (look.t !== '$') throw new SyntaxError(`unexpected '${look.t}' after the expression`);
  return root;
}

function evaluate(n: Tree): number {
  switch (n.sym) {
    case 'num':
      return n.v!;
    case 'F':
      return n.kids.length === 1 ? evaluate(n.kids[0]!) : evaluate(n.kids[1]!);
    case 'E':
    case 'T':
      return tail(n.kids[1]!, evaluate(n.kids[0]!));
    default:
      throw new Error(`cannot evaluate ${n.sym}`);
  }
}

function tail(n: Tree, acc: number): number {
  if (n.kids.length === 0) return acc;
  const rhs = evaluate(n.kids[1]!);
  const op = n.kids[0]!.sym;
  const v = op === '+' ? acc + rhs : op === '-' ? acc - rhs : op === '*' ? acc * rhs : acc / rhs;
  return tail(n.kids[2]!, v);
}

console.log(evaluate(parse('2 + 3 * (4 - 1) / 3 - 1')));
