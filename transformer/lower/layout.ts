// Frame layout: which variables get a field in the frame, and for each resume function (segment)
// which fields it loads into locals on entry, and what it stores and clears at each suspension.
// Only values live across some suspension point (or captured by a closure) get a field; a field
// whose value dies at a suspension point is cleared there, so a suspended coroutine retains
// nothing it no longer needs.
import { inFrame, successors, type BlockId, type CoroutineIR, type VarId } from './ir.js';
import type { Liveness } from './liveness.js';

export interface Segment {
  /** index of the resume function: `<name>$resume<index>` */
  index: number;
  /** the suspension point this segment resumes from (0: the initial suspension) */
  suspend: number;
  entry: BlockId;
  blocks: BlockId[];
  /** variables this segment keeps in JS locals */
  locals: VarId[];
  /** locals initialised from the frame on entry */
  loads: VarId[];
  /** variables assigned anywhere in the segment (edges included) */
  written: VarId[];
}

export interface SuspendLayout {
  /** values live across the suspension point (the frame holds exactly these while suspended) */
  liveAcross: VarId[];
  /** the segment that resumes from this point */
  resumeSegment: number;
}

/**
 * What a segment does at one of its suspension points. A block can belong to several segments
 * (code after a loop head is reachable from more than one resume point), and what must be
 * stored or cleared depends on which segment is running it.
 */
export function suspendActions(ir: CoroutineIR, live: Liveness, seg: Segment, suspend: number): { stores: VarId[]; clears: VarId[] } {
  const across = live.liveIn[ir.suspends[suspend].resume];
  const entryIn = live.liveIn[seg.entry];
  const written = new Set(seg.written);
  return {
    stores: [...across].filter((v) => !inFrame(ir.vars[v]) && (written.has(v) || !entryIn.has(v))),
    clears: [...entryIn].filter((v) => !across.has(v) && !inFrame(ir.vars[v])),
  };
}

/**
 * The dispatch shape's one function, which holds every block: it loads every field some resume
 * point needs, since any of them may be the one it is entered at.
 */
export function wholeSegment(ir: CoroutineIR, layout: FrameLayout): Segment {
  const union = (pick: (s: Segment) => readonly number[]): number[] => [...new Set(layout.segments.flatMap(pick))].sort((a, b) => a - b);
  return { index: -1, suspend: 0, entry: ir.entry, blocks: union((s) => s.blocks), locals: union((s) => s.locals), loads: union((s) => s.loads), written: union((s) => s.written) };
}

/**
 * suspendActions for the dispatch shape, where one function runs the code of every segment and
 * cannot tell which one it is running. It stores everything live across the point; what the
 * frame held while suspended is cleared when the coroutine resumes (dispatchResumeClears), so no
 * suspension point has to clear what every segment that reaches it may have loaded.
 */
export function dispatchSuspendActions(ir: CoroutineIR, live: Liveness, suspend: number): { stores: VarId[]; clears: VarId[] } {
  return { stores: [...live.liveIn[ir.suspends[suspend].resume]].filter((v) => !inFrame(ir.vars[v])), clears: [] };
}

/** The dispatch shape clears these fields on resuming at `resume`: they are in locals now. */
export function dispatchResumeClears(ir: CoroutineIR, live: Liveness, resume: BlockId): VarId[] {
  return [...live.liveIn[resume]].filter((v) => !inFrame(ir.vars[v]));
}

export interface FrameLayout {
  /** every frame field, in constructor order: ramp-provided ones first */
  fields: VarId[];
  /** fields the ramp fills in, in constructor-argument order */
  rampFields: VarId[];
  segments: Segment[];
  suspends: SuspendLayout[];
}

export function layoutFrame(ir: CoroutineIR, live: Liveness): FrameLayout {
  const segments: Segment[] = [];
  const segOfSuspend = new Map<number, number>();
  for (const sp of ir.suspends) {
    segOfSuspend.set(sp.id, segments.length);
    segments.push(buildSegment(ir, live, segments.length, sp.id, sp.resume));
  }
  const fieldSet = new Set<VarId>();
  for (const sp of ir.suspends) for (const v of live.liveIn[sp.resume]) fieldSet.add(v);
  const referenced = new Set<VarId>();
  for (const b of ir.blocks) {
    for (const s of b.stmts) for (const v of [...s.uses, ...s.writes]) referenced.add(v);
  }
  for (const b of ir.blocks) {
    const t = b.term;
    if (t.kind === 'branch' || t.kind === 'yield' || t.kind === 'return' || t.kind === 'throw') for (const v of t.uses) referenced.add(v);
  }
  for (const v of ir.vars) if (inFrame(v) && (referenced.has(v.id) || ir.params.includes(v.id) || v.kind === 'this' || v.kind === 'arguments' || v.kind === 'self' || v.kind === 'super')) fieldSet.add(v.id);
  // The ramp provides parameters, `this` and `arguments`: those live on entry, or captured.
  const entryLive = live.liveIn[ir.entry];
  const provided = (v: VarId): boolean => fieldSet.has(v) && (entryLive.has(v) || inFrame(ir.vars[v]));
  const rampFields = [
    ...ir.params.filter(provided),
    ...ir.vars.filter((v) => (v.kind === 'this' || v.kind === 'arguments' || v.kind === 'self' || v.kind === 'super') && provided(v.id)).map((v) => v.id),
  ];
  const fields = [...rampFields, ...[...fieldSet].filter((v) => !rampFields.includes(v)).sort((a, b) => a - b)];

  const suspends: SuspendLayout[] = ir.suspends.map((sp) => ({ liveAcross: [...live.liveIn[sp.resume]], resumeSegment: segOfSuspend.get(sp.id)! }));
  return { fields, rampFields, segments, suspends };
}

/**
 * The segment of the blocks reachable from `entry` along the IR's successors, or along `follow`
 * where a coroutine kind runs a part of a segment on its own (a promise type's destroy path).
 * A block in `stopAt` belongs to the segment but none of its code does: the segment hands over
 * there to another resume function (analysis/tail-entries.ts).
 */
export function buildSegment(ir: CoroutineIR, live: Liveness, index: number, suspend: number, entry: BlockId, follow?: (b: BlockId) => readonly BlockId[], stopAt?: ReadonlySet<BlockId>): Segment {
  const blocks: BlockId[] = [];
  const seen = new Set<BlockId>([entry]);
  const work = [entry];
  const touched = new Set<VarId>();
  const written = new Set<VarId>();
  while (work.length) {
    const b = work.pop()!;
    blocks.push(b);
    if (stopAt?.has(b) && b !== entry) continue;
    const blk = ir.blocks[b];
    for (const s of blk.stmts) {
      for (const v of s.uses) touched.add(v);
      for (const v of s.writes) {
        touched.add(v);
        written.add(v);
      }
    }
    const t = blk.term;
    if (t.kind === 'branch' || t.kind === 'yield' || t.kind === 'return' || t.kind === 'throw') {
      for (const v of t.uses) touched.add(v);
      for (const v of t.writes ?? []) {
        touched.add(v);
        written.add(v);
      }
    }
    if (t.kind === 'switch') touched.add(t.on);
    for (const e of follow ? follow(b).map((target) => ({ target, defs: [] as VarId[] })) : successors(ir, blk)) {
      for (const v of e.defs ?? []) {
        touched.add(v);
        written.add(v);
      }
      if (!seen.has(e.target)) {
        seen.add(e.target);
        work.push(e.target);
      }
    }
  }
  const locals = [...touched].filter((v) => !inFrame(ir.vars[v])).sort((a, b) => a - b);
  const entryIn = live.liveIn[entry];
  return { index, suspend, entry, blocks, locals, loads: locals.filter((v) => entryIn.has(v)), written: [...written] };
}
