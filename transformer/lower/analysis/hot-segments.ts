// Which resume functions of a generator run most: the frame's own `next` calls those directly
// (emit/generator.ts) and sends the others through the runtime's shared path.
import { successors, type CoroutineIR } from '../ir.js';
import type { FrameLayout } from '../layout.js';

/** The strongly connected component of every block (iterative Tarjan: a generator may have thousands). */
function blockComponents(ir: CoroutineIR): number[] {
  const n = ir.blocks.length;
  const next = (b: number): number[] => {
    const blk = ir.blocks[b]!;
    const out = successors(ir, blk).map((e) => e.target);
    if (blk.term.kind === 'yield') out.push(ir.suspends[blk.term.suspend]!.resume);
    return out;
  };
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { b: number; succ: number[]; i: number }[] = [];
    const open = (b: number): void => {
      index[b] = low[b] = counter++;
      stack.push(b);
      onStack[b] = true;
      work.push({ b, succ: next(b), i: 0 });
    };
    open(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.succ.length) {
        const w = top.succ[top.i++]!;
        if (index[w] === -1) open(w);
        else if (onStack[w]) low[top.b] = Math.min(low[top.b]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.b;
        low[parent] = Math.min(low[parent]!, low[top.b]!);
      }
      if (low[top.b] === index[top.b]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== top.b);
        components++;
      }
    }
  }
  return component;
}

/** At most this many resume functions get a direct call in a frame's own `next`. */
const DIRECT_CALLS = 4;

/**
 * The resume functions worth a direct call, hottest first: those that resume inside a loop (they
 * run once per iteration), then the entry (once per generator), then the rest in source order.
 * `skip`: a segment that has no function (a frame that starts past its initial one).
 */
export function hotSegments(ir: CoroutineIR, layout: FrameLayout, skip?: number): number[] {
  // A suspension point is in a loop when its block and its resume block are in one strongly
  // connected component of the block graph, counting each yield as an edge to its resume block
  // (a loop with several yields cycles through all of them). One pass, not a search per point.
  const component = blockComponents(ir);
  const inCycle = (sp: { from: number; resume: number }): boolean => sp.from >= 0 && component[sp.from] === component[sp.resume];
  const segs = layout.segments.filter((s) => s.index !== skip);
  const looped = segs.filter((s) => inCycle(ir.suspends[s.suspend])).map((s) => s.index);
  const rest = segs.map((s) => s.index).filter((i) => !looped.includes(i));
  return [...looped, ...rest].slice(0, DIRECT_CALLS);
}
