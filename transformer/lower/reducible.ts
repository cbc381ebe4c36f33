// Makes a segment's graph structurable before structure.ts turns it into loops and blocks:
// node splitting where a cycle is entered at more than one node, and a guard node where a
// resume function's second entry would enter a cycle in the middle.

/**
 * A segment's graph over copies of blocks: node splitting may give one block several nodes.
 * `succ` maps a successor block to the node that stands for it from this node.
 */
export interface SplitGraph {
  entry: number;
  nodes: { block: number; succ: Map<number, number> }[];
}

/**
 * Makes a segment graph reducible by node splitting. A resume point inside a loop enters the
 * loop's cycle in the middle, so the cycle can have several entries (a finally block reached
 * both normally and through its throw path, say). For a strongly connected region with more than
 * one entry, one entry stays the header and the others are sent into a copy of the region
 * without it; nested regions are handled the same way, one round at a time.
 */
export function makeReducible(g: SplitGraph, maxRounds = 64, maxNodes = Infinity): SplitGraph {
  const nodes = g.nodes.map((n) => ({ block: n.block, succ: new Map(n.succ) }));
  const entry = g.entry;
  const succOf = (n: number): number[] => [...new Set(nodes[n].succ.values())];
  for (let round = 0; round < maxRounds; round++) {
    const { order } = analyse(entry, succOf);
    const rank = new Map<number, number>();
    order.forEach((n, i) => rank.set(n, i));
    const all = new Set(order);
    const split = findMultiEntryRegion(all, succOf, rank, all, succOf);
    if (!split) return { entry, nodes };
    const { region, entries } = split;
    // Each round copies a region: past the caller's budget the copies would outgrow the input.
    if (nodes.length + region.size > maxNodes) throw new IrreducibleError(`node splitting would exceed ${maxNodes} nodes`);
    const header = entries.reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b));
    const copy = new Map<number, number>();
    for (const n of region) {
      if (n === header) continue;
      copy.set(n, nodes.length);
      nodes.push({ block: nodes[n].block, succ: new Map() });
    }
    for (const [n, c] of copy) for (const [blk, t] of nodes[n].succ) nodes[c].succ.set(blk, copy.get(t) ?? t);
    for (const p of order) {
      if (region.has(p)) continue;
      for (const [blk, t] of nodes[p].succ) if (t !== header && entries.includes(t)) nodes[p].succ.set(blk, copy.get(t)!);
    }
  }
  throw new IrreducibleError('control flow of this coroutine could not be made reducible');
}

/** The block of a guard node (see withSecondEntry): it stands for no block of the IR. */
export const GUARD_BLOCK = -1;

/**
 * Adds a second way into a segment's graph, from its entry to node `y`. When y lies in a cycle the
 * graph already enters at another node h, that edge would make the graph irreducible, and node
 * splitting would copy the cycle: the very copy a second entry saves. Instead every edge into h,
 * and the entry's edge to y, go to a guard node, which goes on to h or to y (its code tests how
 * the function was entered, and forgets it on the way to y): the cycle then has one entry. The
 * guard node's successors are keyed h's block first, then y's.
 */
export function withSecondEntry(g: SplitGraph, y: number): SplitGraph {
  const nodes = g.nodes.map((n) => ({ block: n.block, succ: new Map(n.succ) }));
  const entry = g.entry;
  const yBlock = nodes[y].block;
  const plain = (): SplitGraph => {
    nodes[entry].succ.set(yBlock, y);
    return { entry, nodes };
  };
  if (nodes[entry].succ.has(yBlock)) return plain();
  const succOf = (n: number): number[] => [...new Set(nodes[n].succ.values())];
  const withEdge = (n: number): number[] => (n === entry ? [...succOf(n), y] : succOf(n));
  const all = new Set(nodes.keys());
  const scc = stronglyConnected(all, withEdge).find((c) => c.has(y));
  if (!scc || (scc.size === 1 && !succOf(y).includes(y))) return plain();
  const entries = new Set<number>();
  for (const n of all) if (!scc.has(n)) for (const t of withEdge(n)) if (scc.has(t)) entries.add(t);
  const others = [...entries].filter((t) => t !== y);
  const yFromOutside = [...all].filter((n) => !scc.has(n) && n !== entry && succOf(n).includes(y));
  if (others.length !== 1 || yFromOutside.length) return plain();
  const h = others[0];
  const guard = nodes.length;
  nodes.push({ block: GUARD_BLOCK, succ: new Map([[nodes[h].block, h], [yBlock, y]]) });
  for (let n = 0; n < guard; n++) for (const [blk, t] of nodes[n].succ) if (t === h) nodes[n].succ.set(blk, guard);
  nodes[entry].succ.set(yBlock, guard);
  return { entry, nodes };
}

/** makeReducible gave up: the caller falls back to a dispatch loop, which needs no reducibility. */
export class IrreducibleError extends Error {}

/** The first strongly connected region (outermost first) that is entered at more than one node. */
function findMultiEntryRegion(
  scope: Set<number>,
  succOf: (n: number) => number[],
  rank: Map<number, number>,
  all: Set<number>,
  allSucc: (n: number) => number[],
): { region: Set<number>; entries: number[] } | undefined {
  for (const scc of stronglyConnected(scope, succOf)) {
    const isCycle = scc.size > 1 || succOf([...scc][0]).includes([...scc][0]);
    if (!isCycle) continue;
    // Entries count edges from anywhere in the graph, the enclosing region's header included.
    const entries: number[] = [];
    for (const n of all) {
      if (scc.has(n)) continue;
      for (const t of allSucc(n)) if (scc.has(t) && !entries.includes(t)) entries.push(t);
    }
    // The graph entry itself has no predecessors, so a cycle always has at least one entry edge.
    if (entries.length > 1) return { region: scc, entries };
    const header = entries[0] ?? [...scc].reduce((a, b) => (rank.get(a)! <= rank.get(b)! ? a : b));
    const inner = new Set(scc);
    inner.delete(header);
    const found = findMultiEntryRegion(inner, (n) => succOf(n).filter((t) => inner.has(t)), rank, all, allSucc);
    if (found) return found;
  }
  return undefined;
}

/** Tarjan's strongly connected components over the nodes of `scope`. */
function stronglyConnected(scope: Set<number>, succOf: (n: number) => number[]): Set<number>[] {
  let index = 0;
  const idx = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: Set<number>[] = [];
  const connect = (v: number): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of succOf(v)) {
      if (!scope.has(w)) continue;
      if (!idx.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = new Set<number>();
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.add(w);
      } while (w !== v);
      out.push(comp);
    }
  };
  for (const v of scope) if (!idx.has(v)) connect(v);
  return out;
}

/** Reverse postorder, immediate dominators, successors and predecessors of the nodes reachable from `entry`. */
export function analyse(entry: number, successors: (n: number) => number[]): { order: number[]; rpo: Map<number, number>; idom: Map<number, number>; succ: Map<number, number[]>; preds: Map<number, number[]> } {
  const order: number[] = [];
  const seen = new Set<number>();
  const succ = new Map<number, number[]>();
  // Iterative DFS: segments can be large.
  const stack: { n: number; i: number }[] = [{ n: entry, i: 0 }];
  seen.add(entry);
  succ.set(entry, successors(entry));
  while (stack.length) {
    const top = stack[stack.length - 1];
    const ss = succ.get(top.n)!;
    if (top.i < ss.length) {
      const s = ss[top.i++];
      if (!seen.has(s)) {
        seen.add(s);
        succ.set(s, successors(s));
        stack.push({ n: s, i: 0 });
      }
    } else {
      order.push(top.n);
      stack.pop();
    }
  }
  order.reverse();
  const rpo = new Map<number, number>();
  order.forEach((n, i) => rpo.set(n, i));
  const preds = new Map<number, number[]>();
  for (const n of order) preds.set(n, []);
  for (const n of order) for (const s of succ.get(n)!) preds.get(s)!.push(n);
  const idom = new Map<number, number>();
  idom.set(entry, entry);
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (rpo.get(a)! > rpo.get(b)!) a = idom.get(a)!;
      while (rpo.get(b)! > rpo.get(a)!) b = idom.get(b)!;
    }
    return a;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of order) {
      if (n === entry) continue;
      let nd: number | undefined;
      for (const p of preds.get(n)!) {
        if (!idom.has(p)) continue;
        nd = nd === undefined ? p : intersect(p, nd);
      }
      if (nd !== undefined && idom.get(n) !== nd) {
        idom.set(n, nd);
        changed = true;
      }
    }
  }
  return { order, rpo, idom, succ, preds };
}
