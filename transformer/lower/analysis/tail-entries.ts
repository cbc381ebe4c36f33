// Where a resume function ends by calling another resume function instead of holding its own
// copy of the code that follows.
//
// In the structured shape every resume function copies the code it can reach before the next
// suspension. The most common copy is a loop: the initial resume function runs the prologue and
// then the whole loop up to its first `yield`, and the resume function after that `yield` runs the
// same loop again. When the code after a resume point begins (past jumps that do nothing) at a
// block X, the resume function of that point *is* the code from X on, once it has taken the next()
// path: it loads what is live at X from the frame. Another segment that reaches X can store what
// is live there and call that function with mode 0 (next), instead of copying everything from X.
//
// The call happens once per generator when only the initial segment makes it (lowered for speed:
// the hot resume functions keep their direct, structured loops). Lowered for size, every segment
// that is not itself an owner of such an entry may make it: one call per step where a copy was.
// Owners never call: a chain of these calls is at most one deep, so a loop that runs many times
// without suspending cannot grow the stack.
//
// Lowered for size, an owner may also have a second entry, one block past X. A `for (init; test;
// update)` loop whose body ends in a `yield` is the case: the code after the `yield` starts at the
// update, and the initial segment reaches the test without it, so without a second entry the
// initial resume function holds a whole copy of the loop. With it, the owner is called with mode
// ENTER (3) and skips X. X must be one block that goes straight to Y, in the same region, and
// must not define what Y reads (the owner loads what is live at its own entry).
import { successors, type BlockId, type CoroutineIR } from '../ir.js';
import type { FrameLayout, Segment } from '../layout.js';
import type { Liveness } from '../liveness.js';
import { blockWeight } from './shape.js';

/**
 * The mode an owner's second entry is called with. The runtime passes only NEXT, THROW and RETURN
 * (0, 1, 2; runtime/generator.ts), so a resume function sees 3 only from lowered code of its own.
 */
export const ENTER_MODE = 3;

/** A copy smaller than this (in blockWeight units, about 16 characters each) is kept: the call and stores cost about as much. */
export const TAIL_MIN_WEIGHT = 4;

export interface TailEntries {
  /** entry block X → the segment whose resume function runs the code from X on */
  readonly owner: ReadonlyMap<BlockId, number>;
  /** second entries (see above): block Y → the block X the owner's next() path starts at, which ENTER skips */
  readonly second: ReadonlyMap<BlockId, BlockId>;
  /** per calling segment (by index): the blocks where it calls an owner instead of going on */
  readonly cuts: ReadonlyMap<number, ReadonlySet<BlockId>>;
}

export interface TailOptions {
  /** which segments may call an owner: only the initial one (once per generator), or every non-owner */
  callers: 'initial' | 'all';
  /** segments that may own an entry: their resume function can be called with mode 0 and nothing else differs */
  mayOwn: (seg: Segment) => boolean;
  /** which owners may have a second entry past their first block (lowered for size); none when absent */
  secondEntry?: (seg: Segment) => boolean;
}

/** The block at which a resume point's next() path, starting at `next`, starts doing something. */
export function firstWorkBlock(ir: CoroutineIR, next: BlockId): BlockId {
  const seen = new Set<BlockId>();
  let b = next;
  for (;;) {
    const blk = ir.blocks[b];
    if (blk.stmts.length || blk.term.kind !== 'goto' || seen.has(b)) return b;
    seen.add(b);
    b = blk.term.target;
  }
}

export function findTailEntries(ir: CoroutineIR, live: Liveness, layout: FrameLayout, options: TailOptions): TailEntries {
  const owner = new Map<BlockId, number>();
  for (const seg of layout.segments) {
    const t = ir.blocks[seg.entry].term;
    if (t.kind !== 'resume' || !options.mayOwn(seg)) continue;
    const x = firstWorkBlock(ir, t.next);
    const xb = ir.blocks[x];
    // the value sent to next() is not there when another segment calls: it must be dead at X
    if (t.sent !== undefined && live.liveIn[x].has(t.sent)) continue;
    // a body that only ends there: nothing worth sharing
    if (xb.stmts.length === 0 && xb.term.kind === 'return') continue;
    if (!owner.has(x)) owner.set(x, seg.index);
  }
  const second = new Map<BlockId, BlockId>();
  if (options.secondEntry) {
    // Where segments that own nothing go on to a block (not by an exception): second entries'
    // candidates, for every owner at once.
    const ownerSegments = new Set(owner.values());
    const comings = layout.segments.filter((seg) => !ownerSegments.has(seg.index)).flatMap((seg) => {
      const inSeg = new Set(seg.blocks);
      return seg.blocks.flatMap((b) => successors(ir, ir.blocks[b]).filter((e) => e.kind === 'normal' && inSeg.has(e.target)).map((e) => ({ from: b, to: e.target, seg: inSeg })));
    });
    for (const [x, s] of [...owner]) {
      const seg = layout.segments[s];
      if (!options.secondEntry(seg)) continue;
      const entryIn = live.liveIn[seg.entry];
      const sent = (ir.blocks[seg.entry].term as { sent?: number }).sent;
      // ENTER runs nothing before y: what y reads must be what the owner loads on entry.
      const enterable = (y: BlockId): boolean =>
        y !== x && !owner.has(y) && !(sent !== undefined && live.liveIn[y].has(sent)) && [...live.liveIn[y]].every((v) => entryIn.has(v));
      const xb = ir.blocks[x];
      let y: BlockId | undefined;
      if (xb.term.kind === 'goto' && xb.stmts.length > 0 && ir.blocks[xb.term.target].region === xb.region && [...live.liveIn[xb.term.target]].every((v) => live.liveIn[x].has(v))) {
        y = enterable(xb.term.target) ? xb.term.target : undefined;
      } else {
        // Elsewhere in the owner's code: where another segment comes into it from code of its
        // own (a loop's test, reached from the initial segment past the loop's init, while the
        // owner's next() path enters the loop at a finally block). Such an entry is inside a
        // cycle the owner enters elsewhere, so the owner tests the mode at the cycle's head.
        // Not for a segment that reaches x itself: it calls the owner there, with no entry mode
        // to test, and keeps only the short copy of the code from y to x (a nested loop's outer
        // test, once its counter updates moved before the yield; build/hoist-updates.ts).
        const mine = new Set(seg.blocks);
        y = comings.find((c) => !mine.has(c.from) && mine.has(c.to) && !c.seg.has(x) && enterable(c.to))?.to;
      }
      if (y === undefined) continue;
      owner.set(y, s);
      second.set(y, x);
    }
  }
  const owners = new Set(owner.values());
  const cuts = new Map<number, Set<BlockId>>();
  if (owner.size === 0) return { owner, second, cuts };
  for (const seg of layout.segments) {
    if (owners.has(seg.index)) continue;
    const t = ir.blocks[seg.entry].term;
    // A segment whose own next() path starts at an owner's entry is another way into the same
    // code: it keeps its copy, which differs from the owner's function only in its temporaries'
    // names, and lowered for size the two are kept once (shared-resume.ts).
    if (t.kind === 'resume' && ir.suspends[seg.suspend].kind !== 'initial' && owner.has(firstWorkBlock(ir, t.next)) && !second.has(firstWorkBlock(ir, t.next))) continue;
    if (options.callers === 'initial' && ir.suspends[seg.suspend].kind !== 'initial') continue;
    const inSeg = new Set(seg.blocks);
    const mine = new Set<BlockId>();
    for (const [x] of owner) {
      if (!inSeg.has(x) || x === seg.entry) continue;
      if (copyWeight(ir, x, inSeg) >= TAIL_MIN_WEIGHT) mine.add(x);
    }
    if (mine.size) cuts.set(seg.index, mine);
  }
  // A second entry no segment calls would only cost its owner the test of the mode.
  const called = new Set<BlockId>();
  for (const set of cuts.values()) for (const x of set) called.add(x);
  for (const y of [...second.keys()]) {
    if (called.has(y)) continue;
    second.delete(y);
    owner.delete(y);
  }
  return { owner, second, cuts };
}

/** The weight of the blocks a segment reaches from `x` (what it would copy). */
function copyWeight(ir: CoroutineIR, x: BlockId, inSeg: ReadonlySet<BlockId>): number {
  const seen = new Set<BlockId>([x]);
  const work = [x];
  let w = 0;
  while (work.length) {
    const b = work.pop()!;
    w += blockWeight(ir, b);
    for (const e of successors(ir, ir.blocks[b])) {
      if (inSeg.has(e.target) && !seen.has(e.target)) {
        seen.add(e.target);
        work.push(e.target);
      }
    }
  }
  return w;
}
