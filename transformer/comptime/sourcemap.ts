// Builds the evaluator's PositionMap from a standard (v3) source map of the lowered code, so the
// transformer can hand over the lowering's map as is and diagnostics name original positions.

import type { OriginalPosition, PositionMap } from './diagnostics.js';

export interface RawSourceMap {
  version: number;
  sources: string[];
  mappings: string;
  sourceRoot?: string;
}

interface Segment {
  column: number;
  source: number;
  line: number;
  originalColumn: number;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Decodes `mappings` into per-generated-line segment lists (all numbers 0-based). */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let line = 0;
  let originalColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segs: Segment[] = [];
    let column = 0;
    for (const segText of lineText.split(',')) {
      if (!segText) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segText) {
        const d = B64_INDEX.get(ch);
        if (d === undefined) throw new Error(`invalid source map mapping character '${ch}'`);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0]!;
      if (fields.length >= 4) {
        source += fields[1]!;
        line += fields[2]!;
        originalColumn += fields[3]!;
        segs.push({ column, source, line, originalColumn });
      }
    }
    segs.sort((a, b) => a.column - b.column);
    lines.push(segs);
  }
  return lines;
}

/**
 * A PositionMap for one evaluated file. `resumePoints` lists the start positions (1-based line and
 * column in the evaluated code) of resume functions with the original position of the suspension
 * point each continues from (null: plumbing to leave out of stacks); the lowering knows these when
 * it emits the functions.
 */
export function positionMapFromSourceMap(
  evaluatedFile: string,
  map: RawSourceMap,
  options: { resumePoints?: { line: number; column: number; yieldAt: OriginalPosition | null }[]; hiddenFiles?: (fileName: string) => boolean } = {},
): PositionMap {
  const lines = decodeMappings(map.mappings);
  const root = map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') : '';
  const resume = new Map((options.resumePoints ?? []).map((r) => [`${r.line}:${r.column}`, r.yieldAt]));
  return {
    original(fileName, line, column) {
      if (fileName !== evaluatedFile) return undefined;
      const segs = lines[line - 1];
      if (!segs || segs.length === 0) return undefined;
      // The last segment starting at or before the column; else the line's first segment.
      let best = segs[0]!;
      for (const s of segs) {
        if (s.column <= column - 1) best = s;
        else break;
      }
      return { fileName: root + map.sources[best.source]!, line: best.line + 1, column: best.originalColumn + 1 };
    },
    resumePoint(fileName, line, column) {
      return fileName === evaluatedFile ? resume.get(`${line}:${column}`) : undefined;
    },
    hideFrames: options.hiddenFiles,
  };
}
