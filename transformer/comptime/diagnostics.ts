// Renders evaluation failures the way a compiler reports constant-evaluation errors: one message
// plus notes naming the guest call stack, innermost first, with argument values and positions
// mapped back to the original source.

import type { Frame, Realm, Site } from './realm.js';
import { Closure } from './closure.js';
import type { GFunction } from './values.js';

export interface OriginalPosition {
  fileName: string;
  line: number;
  column: number;
  /** for a resume point: the kind of suspension it continues from (default `yield`) */
  kind?: 'yield' | 'await';
}

/**
 * Maps positions in evaluated (lowered) code back to the user's source. All positions are 1-based.
 * The coroutine lowering provides this from its source map.
 */
export interface PositionMap {
  /** The original position of a position in evaluated code; undefined keeps the position as is. */
  original?(fileName: string, line: number, column: number): OriginalPosition | undefined;
  /**
   * Given the start of a function in evaluated code: if it is a resume function of a lowered
   * coroutine, the original position of the suspension point it resumes from; null if it is
   * lowering plumbing (a frame's own `next`) that stacks leave out.
   */
  resumePoint?(fileName: string, line: number, column: number): OriginalPosition | null | undefined;
  /** Frames of functions in this file are left out of stacks (e.g. the corosplit runtime). */
  hideFrames?(fileName: string): boolean;
}

export interface ComptimeDiagnostic {
  message: string;
  notes: string[];
  /** Where evaluation stopped (original position), when known. */
  position?: OriginalPosition;
}

export const MAX_FRAMES = 10;

export class DiagnosticRenderer {
  constructor(
    private readonly R: Realm,
    private readonly map: PositionMap | undefined,
  ) {}

  position(site: Site | undefined): OriginalPosition | undefined {
    if (!site) return undefined;
    const lc = site.src.lineCol(site.pos);
    const fileName = site.src.fileName;
    return this.map?.original?.(fileName, lc.line, lc.column) ?? { fileName, line: lc.line, column: lc.column };
  }

  fmt(p: OriginalPosition | undefined): string {
    return p ? `${p.fileName}:${p.line}:${p.column}` : '<unknown>';
  }

  private describeCall(fn: GFunction, args: unknown[]): string {
    const R = this.R;
    const shown = args.slice(0, 4).map((a) => R.describe(a as never));
    if (args.length > 4) shown.push('…');
    return `${fn.displayName() || '(anonymous function)'}(${shown.join(', ')})`;
  }

  frameNote(f: Frame): string | undefined {
    if (f.fn === undefined) return undefined;
    if (f.fn instanceof Closure) {
      const start = f.fn.code.site;
      const lc = start.src.lineCol(start.pos);
      if (this.map?.hideFrames?.(start.src.fileName)) return undefined;
      const resumed = this.map?.resumePoint?.(start.src.fileName, lc.line, lc.column);
      if (resumed === null) return undefined;
      if (resumed) return `resumed from ${resumed.kind ?? 'yield'} at ${this.fmt(resumed)}`;
    }
    return `in call to ${this.describeCall(f.fn, f.args)} at ${this.fmt(this.position(f.site))}`;
  }

  /** Notes for a stack, innermost frame first, at most MAX_FRAMES of them. */
  stackNotes(frames: readonly Frame[]): string[] {
    const notes: string[] = [];
    let omitted = 0;
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i]!;
      if (f.fn === undefined) {
        omitted += f.skipped ?? 0;
        continue;
      }
      const n = this.frameNote(f);
      if (n) notes.push(n);
    }
    if (notes.length <= MAX_FRAMES && omitted === 0) return notes;
    const head = notes.slice(0, MAX_FRAMES / 2);
    const tail = notes.slice(Math.max(MAX_FRAMES / 2, notes.length - MAX_FRAMES / 2));
    return [...head, `(skipping ${notes.length - head.length - tail.length + omitted} calls in the stack)`, ...tail];
  }
}
