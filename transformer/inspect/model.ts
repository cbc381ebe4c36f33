// The inspector's model: what `corosplit inspect` shows, read off the IR, liveness and frame layout
// the lowering hands to `onCoroutine`, plus where each piece landed in the lowered output. The
// model is the JSON format (schema: docs/inspect-schema.md); text, dot, mermaid and html render it.
import type * as TS from 'typescript';
import { defaultTypeScript, transformSource, type Diagnostic, type TransformSourceOptions } from '../core.js';
import { inFrame, successors, type Block, type CoroutineIR, type SourceSpan, type SuspendKind, type VarId } from '../lower/ir.js';
import { suspendActions } from '../lower/layout.js';
import { printIR } from '../lower/ir-print.js';
import type { LoweredCoroutine } from '../lower/file-lowering.js';
import { buildGraph } from './graph.js';

export * from './schema.js';
import { INSPECT_SCHEMA_VERSION, type InspectBlock, type InspectCoroutine, type InspectEdge, type InspectEdgeKind, type InspectField, type InspectOptions, type InspectRegion, type InspectResult, type InspectResumeFunction, type InspectSuspend, type InspectVar, type TextRange } from './schema.js';

/** Line starts of a text, for offset → line/column. */
export class LineMap {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** 0-based line and column of an offset */
  at(pos: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: pos - this.starts[lo] };
  }
  range(pos: number, end: number): TextRange {
    // Spans of TS nodes start at their leading trivia; show where the code itself starts.
    while (pos < end && /\s/.test(this.text[pos])) pos++;
    const a = this.at(pos);
    const b = this.at(end);
    return { pos, end, line: a.line + 1, column: a.column + 1, endLine: b.line + 1, endColumn: b.column + 1 };
  }
  span(s: SourceSpan | undefined): TextRange | null {
    return s && s.pos >= 0 && s.end <= this.text.length ? this.range(s.pos, s.end) : null;
  }
}

export class InspectError extends Error {}

/**
 * Lowers a source text and describes every coroutine in it (or the one `options.fn` names).
 * Lowering errors come back in `diagnostics` with no coroutines; an unknown `fn` is an InspectError.
 */
export function inspect(source: string, options: InspectOptions = {}): InspectResult {
  const ts = options.ts ?? defaultTypeScript();
  const fileName = options.fileName ?? 'input.ts';
  const lowered: LoweredCoroutine[] = [];
  const result = transformSource(source, {
    fileName,
    ts,
    runtime: options.runtime,
    runtimeModule: options.runtimeModule,
    sourceMap: true,
    typeOracle: options.typeOracle,
    onCoroutine: (c) => lowered.push(c),
  });
  const base: InspectResult = {
    schemaVersion: INSPECT_SCHEMA_VERSION,
    file: fileName,
    source,
    diagnostics: result.diagnostics,
    output: { code: result.code, sourceMap: result.map ?? null },
    coroutines: [],
  };
  if (result.diagnostics.some((d) => d.category === 'error')) return base;
  const src = new LineMap(source);
  const out = new LineMap(result.code);
  const placed = locateOutput(ts, result.code, out);
  let selected = lowered;
  if (options.fn !== undefined) {
    selected = lowered.filter((c) => c.ir.name === options.fn);
    if (selected.length === 0) {
      const names = lowered.map((c) => c.ir.name);
      throw new InspectError(
        names.length
          ? `${fileName}: error: no coroutine named '${options.fn}' (the file has: ${names.join(', ')})`
          : `${fileName}: error: no coroutine named '${options.fn}' (the file has no generators)`,
      );
    }
  }
  base.coroutines = selected.map((c) => describeCoroutine(ts, c, source, src, placed));
  return base;
}

/** Where the frame classes and resume functions are in the output, by name. */
function locateOutput(ts: typeof TS, code: string, out: LineMap): Map<string, TextRange> {
  const sf = ts.createSourceFile('output.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found = new Map<string, TextRange>();
  const visit = (n: TS.Node): void => {
    if ((ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isClassDeclaration(n)) && n.name && !found.has(n.name.text)) {
      found.set(n.name.text, out.range(n.getStart(sf), n.end));
    }
    // `const X$Frame = generatorFrameConstructor(function X$Frame(…) {…});`: the whole statement
    if (ts.isVariableStatement(n) && n.declarationList.declarations.length === 1) {
      const d = n.declarationList.declarations[0];
      if (ts.isIdentifier(d.name) && d.initializer && !found.has(d.name.text)) found.set(d.name.text, out.range(n.getStart(sf), n.end));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function edgesOf(ir: CoroutineIR, b: Block): InspectEdge[] {
  const finallyEntries = new Set(ir.regions.flatMap((r) => (r.finally ? [r.finally.entry] : [])));
  const t = b.term;
  const edges: InspectEdge[] = [];
  for (const e of successors(ir, b)) {
    if (e.kind === 'resume-next' || e.kind === 'resume-throw' || e.kind === 'resume-return') {
      edges.push({ target: e.target, kind: 'resume', mode: e.kind === 'resume-next' ? 'next' : e.kind === 'resume-throw' ? 'throw' : 'return' });
    } else if (e.kind === 'throw') edges.push({ target: e.target, kind: 'throw' });
    else if (e.kind === 'finally' || finallyEntries.has(e.target)) edges.push({ target: e.target, kind: 'finally' });
    else edges.push({ target: e.target, kind: 'normal' });
  }
  if (t.kind === 'yield') edges.push({ target: ir.suspends[t.suspend].resume, kind: 'suspend', suspend: t.suspend });
  if (t.kind === 'return') edges.push({ target: null, kind: 'return' });
  // A throw terminator outside any region leaves the coroutine (inside one, successors() already
  // gave the edge to the region's handler).
  if (t.kind === 'throw' && b.region < 0) edges.push({ target: null, kind: 'throw' });
  return edges;
}

function describeCoroutine(ts: typeof TS, c: LoweredCoroutine, source: string, src: LineMap, placed: Map<string, TextRange>): InspectCoroutine {
  const { ir, layout, liveness } = c;
  const suspendsAt = (blocks: number[]): number[] => {
    const s = new Set<number>();
    for (const b of blocks) {
      const t = ir.blocks[b].term;
      if (t.kind === 'yield') s.add(t.suspend);
    }
    return [...s].sort((a, b) => a - b);
  };
  const resumeFunctions: InspectResumeFunction[] = layout.segments.map((seg) => ({
    index: seg.index,
    name: c.resumeNames[seg.index],
    suspend: seg.suspend,
    entry: seg.entry,
    blocks: [...seg.blocks].sort((a, b) => a - b),
    locals: seg.locals,
    loads: seg.loads,
    outputRange: placed.get(c.resumeNames[seg.index]) ?? null,
    suspendsAt: suspendsAt(seg.blocks),
  }));
  const suspendText = (id: number): string => {
    const sp = ir.suspends[id];
    if (sp.kind === 'initial' || !sp.span) {
      // The signature: the text up to the body.
      const whole = sp.span ?? ir.span;
      const text = source.slice(whole.pos, whole.end).trim();
      const brace = text.indexOf('{');
      return collapse(brace > 0 ? text.slice(0, brace) : text);
    }
    return collapse(source.slice(sp.span.pos, sp.span.end));
  };
  const suspends: InspectSuspend[] = ir.suspends.map((sp) => ({
    id: sp.id,
    kind: sp.kind,
    from: sp.from < 0 ? null : sp.from,
    resume: sp.resume,
    range: src.span(sp.span ?? (sp.kind === 'initial' ? ir.span : undefined)),
    text: suspendText(sp.id),
    liveAcross: [...layout.suspends[sp.id].liveAcross].sort((a, b) => a - b),
    resumeFunction: layout.suspends[sp.id].resumeSegment,
  }));
  // Which suspension points clear which field: each point's actions computed once, not once per
  // field (that made a 2,000-yield generator take seconds).
  const clearedBy = new Map<number, { resumeFunction: number; suspend: number }[]>();
  for (const seg of layout.segments) {
    for (const s of suspendsAt(seg.blocks)) {
      for (const v of suspendActions(ir, liveness, seg, s).clears) {
        let list = clearedBy.get(v);
        if (!list) clearedBy.set(v, (list = []));
        list.push({ resumeFunction: seg.index, suspend: s });
      }
    }
  }
  // The same for where each field is live: one pass over the points, not one per field.
  const liveAt = new Map<number, number[]>();
  layout.suspends.forEach((sl, i) => {
    for (const v of sl.liveAcross) {
      let list = liveAt.get(v);
      if (!list) liveAt.set(v, (list = []));
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
  const fields: InspectField[] = layout.fields.map((v) => {
    const iv = ir.vars[v];
    const clearedAt = clearedBy.get(v) ?? [];
    return {
      var: v,
      name: iv.name,
      original: iv.original,
      kind: iv.kind,
      rampProvided: layout.rampFields.includes(v),
      captured: inFrame(iv),
      liveAcross: liveAt.get(v) ?? [],
      clearedAt,
    };
  });
  const blocks: InspectBlock[] = ir.blocks.map((b) => ({
    id: b.id,
    label: b.label,
    region: b.region,
    range: src.span(b.span ?? blockExtent(ir, b)),
    terminator: b.term.kind,
    statements: b.stmts.map((s) => src.span(s.span)),
    edges: edgesOf(ir, b),
  }));
  const model: Omit<InspectCoroutine, 'graph' | 'ir'> = {
    name: ir.name,
    kind: ir.kind,
    promiseType: null,
    range: src.span(ir.span) ?? src.range(0, 0),
    params: ir.params,
    entry: ir.entry,
    vars: ir.vars.map((v) => ({ id: v.id, kind: v.kind, original: v.original, name: v.name, captured: v.captured, readonly: v.readonly, range: src.span(v.span) })),
    blocks,
    regions: ir.regions.map((r) => ({
      id: r.id,
      kind: r.kind,
      parent: r.parent,
      handler: r.handler,
      exc: r.exc,
      finally: r.finally ? { ...r.finally } : null,
      iterator: r.iterator ? { it: r.iterator.it, done: r.iterator.done ?? null, src: r.iterator.src ?? null } : null,
      range: src.span(r.span),
    })),
    suspends,
    resumeFunctions,
    frame: {
      class: c.frameClass,
      outputRange: placed.get(c.frameClass) ?? null,
      fields,
      next: c.nextName ? { name: c.nextName, outputRange: placed.get(c.nextName) ?? null } : null,
    },
  };
  return { ...model, graph: buildGraph(model), ir: printIR(ts, ir, c.sourceFile) };
}

/** A block without a span of its own covers its statements and the expression it suspends at. */
function blockExtent(ir: CoroutineIR, b: Block): SourceSpan | undefined {
  const spans = b.stmts.flatMap((st) => (st.span && st.span.pos >= 0 ? [st.span] : []));
  if (b.term.kind === 'yield' && ir.suspends[b.term.suspend].span) spans.push(ir.suspends[b.term.suspend].span!);
  if (spans.length === 0) return undefined;
  return { pos: Math.min(...spans.map((x) => x.pos)), end: Math.max(...spans.map((x) => x.end)) };
}

/**
 * Source text on one line for labels: runs of whitespace become one space, except inside string,
 * template and regular-expression literals, which are kept exactly (`yield "a  b"` stays so).
 */
function collapse(s: string): string {
  let out = '';
  let space = false;
  let prev = ''; // the last character outside whitespace, to tell a regex from a division
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      space = out.length > 0;
      i++;
      continue;
    }
    if (space) out += ' ';
    space = false;
    const regex = c === '/' && s[i + 1] !== '/' && s[i + 1] !== '*' && (prev === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prev) || /\b(?:yield|return|typeof|in|of|case|void|await)$/.test(out.trimEnd()));
    if (c === '"' || c === "'" || c === '`' || regex) {
      let j = i + 1;
      let depth = 0; // ${ … } inside a template
      let cls = false; // [ … ] inside a regex
      for (; j < s.length; j++) {
        const d = s[j]!;
        if (d === '\\') {
          j++;
          continue;
        }
        if (c === '`' && d === '$' && s[j + 1] === '{') depth++;
        else if (c === '`' && d === '}' && depth > 0) depth--;
        else if (regex && d === '[') cls = true;
        else if (regex && d === ']') cls = false;
        else if (d === c && depth === 0 && !cls) break;
        else if (regex && d === '\n') break;
      }
      if (regex) while (j + 1 < s.length && /[a-z]/.test(s[j + 1]!)) j++; // flags
      out += s.slice(i, j + 1);
      prev = c;
      i = j + 1;
      continue;
    }
    out += c;
    prev = c;
    i++;
  }
  return out;
}

/** `file:line:col` of a range. */
export function where(file: string, r: TextRange | null): string {
  return r ? `${file}:${r.line}:${r.column}` : `${file}:?`;
}
