// Which shape a generator's resume functions take, decided before anything is emitted.
//
// The structured shape gives every resume function its own copy of the code it can reach before
// the next suspension, as straight-line JavaScript with real loops: fastest, and what V8 inlines.
// Copies are the price. Code reachable from many resume points (a run of `if (c) yield`, loops
// nested inside try/finally) is copied once per point, and node splitting, which makes a segment
// entered in the middle of a loop structurable, copies regions again. Both can grow faster than
// the input. The dispatch shape has one function holding every block once, as cases of a
// `for (;;) switch (state)` loop, and a two-line resume function per point that enters it: linear
// in the input whatever the control flow, and slower per step.
//
// The structured shape is kept while its copies stay within a budget of the input's own size;
// past it, or when node splitting gives up, the coroutine gets the dispatch shape.
import { successors, type Block, type BlockId, type CoroutineIR } from '../ir.js';
import type { FrameLayout, Segment } from '../layout.js';
import { GUARD_BLOCK, IrreducibleError, makeReducible, type SplitGraph } from '../reducible.js';

export type Shape =
  /** one reducible graph per segment, in layout.segments order */
  | { readonly kind: 'structured'; readonly graphs: readonly SplitGraph[] }
  | { readonly kind: 'dispatch'; readonly reason: string };

/** Copies may make the structured output this many times the size of its blocks… */
export const COPY_FACTOR = 3;
/** …plus this much (in the units of blockWeight): small generators never switch shape. */
export const COPY_SLACK = 400;

/**
 * A block's size in about 16-character units: the source text of its statements (what a copy
 * repeats, nested functions included), or a small constant for statements the lowering made.
 */
export function blockWeight(ir: CoroutineIR, b: BlockId): number {
  let chars = 16;
  for (const s of ir.blocks[b].stmts) chars += s.node.pos >= 0 && s.node.end > s.node.pos ? s.node.end - s.node.pos : 16;
  return Math.ceil(chars / 16);
}

/**
 * The graph of one segment's blocks, one node per block, before node splitting: from `entry`
 * along the IR's successors, or along `targets` where an ABI follows other edges.
 */
export function segmentGraph(ir: CoroutineIR, seg: Segment, entry: BlockId = seg.entry, targets: (b: Block) => readonly BlockId[] = (b) => successors(ir, b).map((e) => e.target)): SplitGraph {
  const inSeg = new Set(seg.blocks);
  const nodeOf = new Map<number, number>();
  const graph: SplitGraph = { entry: 0, nodes: [] };
  for (const b of seg.blocks) {
    nodeOf.set(b, graph.nodes.length);
    graph.nodes.push({ block: b, succ: new Map() });
  }
  for (const node of graph.nodes) {
    for (const t of targets(ir.blocks[node.block])) if (inSeg.has(t)) node.succ.set(t, nodeOf.get(t)!);
  }
  graph.entry = nodeOf.get(entry)!;
  return graph;
}

/**
 * `graphOf`: a segment's graph as the coroutine kind follows it (default: the IR's successors).
 * `option` 'dispatch' forces the dispatch shape (the `shape` lowering option, for tests).
 */
export function chooseShape(ir: CoroutineIR, layout: FrameLayout, graphOf: (seg: Segment) => SplitGraph = (seg) => segmentGraph(ir, seg), option: 'auto' | 'dispatch' = 'auto'): Shape {
  if (option === 'dispatch') return { kind: 'dispatch', reason: 'forced' };
  const weight = new Map<BlockId, number>();
  const w = (b: BlockId): number => {
    let x = weight.get(b);
    if (x === undefined) weight.set(b, (x = b === GUARD_BLOCK ? 1 : blockWeight(ir, b)));
    return x;
  };
  const all = new Set<BlockId>();
  for (const seg of layout.segments) for (const b of seg.blocks) all.add(b);
  let base = 0;
  for (const b of all) base += w(b);
  const budget = COPY_FACTOR * base + COPY_SLACK;
  let total = 0;
  const graphs: SplitGraph[] = [];
  for (const seg of layout.segments) {
    const initial = graphOf(seg);
    let graph: SplitGraph;
    try {
      graph = makeReducible(initial, 64, initial.nodes.length * 4 + 64);
    } catch (e) {
      if (e instanceof IrreducibleError) return { kind: 'dispatch', reason: `a segment's control flow: ${e.message}` };
      throw e;
    }
    for (const n of graph.nodes) total += w(n.block);
    if (total > budget) return { kind: 'dispatch', reason: `copies of shared code would exceed ${COPY_FACTOR}x the body (${total} > ${budget} units)` };
    graphs.push(graph);
  }
  return { kind: 'structured', graphs };
}
