// `--format html`: one self-contained page (inline CSS and JS, no network, works from file://).
// Source on the left, lowered code on the right, the resume-point graph below, rendered to SVG
// with @viz-js/viz now, at inspect time. Hovering (or clicking, to pin) a resume point, a frame
// field, a graph node or a line highlights the matching source range, output range and graph
// node; lines are connected through the source map, resume points and fields through IR spans.
import { domId, toDot } from './graph.js';
import type { InspectResult } from './model.js';
import { decodeMappings } from './sourcemap.js';

/** Coroutines with more resume functions than this get a summary instead of a drawn graph. */
export const MAX_DRAWN_RESUME_POINTS = 100;

/** Renders DOT to SVG; a DOT syntax error is a bug in the inspector, so it throws. */
export async function renderSvg(dot: string, nodes = 0): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  // Past a few dozen nodes, dot's network-simplex passes and spline routing grow much faster than
  // the graph (3 s at 50 yields): bounded iterations and straight edges draw it in 0.1 s.
  const fast: Record<string, string | number | boolean> = nodes > 40 ? { splines: 'line', mclimit: 0.05, nslimit: 0.2, nslimit1: 0.2, searchsize: 5, remincross: false } : {};
  const r = viz.render(dot, { format: 'svg', graphAttributes: fast });
  if (r.status !== 'success') throw new Error(`graphviz could not render the graph: ${r.errors.map((e) => e.message).join('; ')}`);
  const svg = r.output.slice(r.output.indexOf('<svg'));
  // Graphviz sizes the drawing in points; as pixels it is 3/4 of that, which fits two graphs side by side.
  const open = svg.indexOf('>');
  return svg.slice(0, open).replace(/(width|height)="([\d.]+)pt"/g, '$1="$2px"') + svg.slice(open);
}

/** What the page script needs, kept small: ranges as [pos, end, line, column, endLine, endColumn]. */
function pageData(model: InspectResult, focus: number) {
  const R = (r: { pos: number; end: number; line: number; column: number; endLine: number; endColumn: number } | null) =>
    r ? [r.pos, r.end, r.line, r.column, r.endLine, r.endColumn] : null;
  const map = model.output.sourceMap ? (JSON.parse(model.output.sourceMap) as { mappings: string }) : null;
  return {
    file: model.file,
    focus,
    source: model.source,
    code: model.output.code,
    mappings: map ? decodeMappings(map.mappings).map((m) => [m.genLine, m.genColumn, m.srcLine, m.srcColumn]) : [],
    coroutines: model.coroutines.map((c, ci) => ({
      name: c.name,
      range: R(c.range),
      frame: { class: c.frame.class, range: R(c.frame.outputRange) },
      resume: c.resumeFunctions.map((rf) => {
        const sp = c.suspends[rf.suspend];
        return { name: rf.name, kind: sp.kind, text: sp.text, src: R(sp.range), out: R(rf.outputRange), node: domId(ci, `r${rf.index}`), suspend: sp.id };
      }),
      fields: c.frame.fields.map((f) => ({
        name: f.name,
        original: f.original,
        kind: c.vars[f.var].kind,
        src: R(c.vars[f.var].range),
        live: f.liveAcross,
        cleared: f.clearedAt.map((x) => `#${x.suspend} by ${c.resumeFunctions[x.resumeFunction].name}`),
        nodes: f.liveAcross.map((s) => domId(ci, `r${c.suspends[s].resumeFunction}`)),
      })),
    })),
  };
}

const CSS = `
:root { --hl: #fff3a3; --hlr: #ffd54a; --node: #ff9800; font-family: system-ui, sans-serif; }
body { margin: 0; background: #fafafa; color: #222; }
header { padding: 8px 14px; background: #263238; color: #eceff1; font-size: 14px; }
header b { font-family: monospace; }
.panes { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; padding: 8px; }
.pane { background: #fff; border: 1px solid #ccc; border-radius: 4px; display: flex; flex-direction: column; min-width: 0; }
.pane h2, .below h2 { font-size: 12px; margin: 0; padding: 4px 8px; background: #eceff1; border-bottom: 1px solid #ccc; }
.code { font: 12px/1.45 ui-monospace, monospace; overflow: auto; max-height: 52vh; white-space: pre; }
.ln { display: flex; cursor: default; }
.ln .no { color: #999; min-width: 3.5em; text-align: right; padding-right: 8px; user-select: none; border-right: 1px solid #eee; margin-right: 6px; }
.ln.hl { background: var(--hl); }
.ln:hover { outline: 1px solid #c5cae9; }
mark.hlr { background: var(--hlr); color: inherit; border-radius: 2px; }
.below { display: grid; grid-template-columns: minmax(280px, 1fr) 3fr; gap: 8px; padding: 0 8px 8px; align-items: start; }
.code { position: relative; }
.box { background: #fff; border: 1px solid #ccc; border-radius: 4px; overflow: auto; }
.list { font: 12px ui-monospace, monospace; padding: 4px 8px; }
.list h3 { font: bold 12px system-ui, sans-serif; margin: 8px 0 4px; }
.item { padding: 2px 4px; border-radius: 3px; cursor: pointer; }
.item:hover, .item.hl, .list h3.hl { background: var(--hl); }
.item .k { color: #6a1b9a; }
.item .p { color: #777; }
#graph .graphs { display: flex; flex-wrap: wrap; align-items: flex-start; }
#graph .graph { overflow: auto; padding: 4px; max-width: 100%; }
#graph svg { display: block; }
#graph g.node { cursor: pointer; }
#graph g.node.hl polygon, #graph g.node.hl path, #graph g.node.hl ellipse { fill: #ffe0b2; stroke: var(--node); stroke-width: 2.5; }
.hint { color: #777; font-size: 11px; padding: 4px 8px; }
`;

// The page script: plain DOM, no dependencies. DATA is the object pageData() built.
const SCRIPT = `
const DATA = JSON.parse(document.getElementById('inspect-data').textContent);
const panes = { src: document.getElementById('src'), out: document.getElementById('out') };
const texts = { src: DATA.source, out: DATA.code };
const lineStarts = {};
function fill(which) {
  const text = texts[which];
  const lines = text.split('\\n');
  const starts = [];
  let p = 0;
  const frag = document.createDocumentFragment();
  lines.forEach((line, i) => {
    starts.push(p); p += line.length + 1;
    const div = document.createElement('div');
    div.className = 'ln'; div.dataset.line = String(i + 1);
    const no = document.createElement('span'); no.className = 'no'; no.textContent = String(i + 1);
    const tx = document.createElement('span'); tx.className = 'tx'; tx.textContent = line;
    div.append(no, tx); frag.append(div);
  });
  panes[which].append(frag);
  lineStarts[which] = starts;
}
fill('src'); fill('out');
const lineEl = (which, line) => panes[which].children[line - 1];

// Source map: output line -> source lines, source line -> output lines (1-based).
const outToSrc = new Map(), srcToOut = new Map();
for (const [gl, , sl] of DATA.mappings) {
  if (!outToSrc.has(gl + 1)) outToSrc.set(gl + 1, new Set());
  outToSrc.get(gl + 1).add(sl + 1);
  if (!srcToOut.has(sl + 1)) srcToOut.set(sl + 1, new Set());
  srcToOut.get(sl + 1).add(gl + 1);
}
const resumes = DATA.coroutines.flatMap((c) => c.resume);
const nodesForOutLine = (line) => resumes.filter((r) => r.out && r.out[2] <= line && line <= r.out[4]).map((r) => r.node);
const resumesForSrcLine = (line) => resumes.filter((r) => r.kind !== 'initial' && r.src && r.src[2] <= line && line <= r.src[4]);

let marked = [];
function clear() {
  for (const el of marked) {
    el.classList.remove('hl');
    const tx = el.querySelector && el.querySelector('.tx');
    if (tx && tx.dataset.orig !== undefined) { tx.textContent = tx.dataset.orig; delete tx.dataset.orig; }
  }
  marked = [];
}
function mark(el) { if (el) { el.classList.add('hl'); marked.push(el); } }
// precise: also mark the exact characters (source spans); output ranges are whole functions.
function markRange(which, r, precise = true) {
  if (!r) return;
  const [pos, end, line, , endLine] = r;
  const starts = lineStarts[which];
  for (let l = line; l <= endLine; l++) {
    const el = lineEl(which, l);
    if (!el) continue;
    mark(el);
    if (!precise) continue;
    const tx = el.querySelector('.tx');
    const text = tx.dataset.orig !== undefined ? tx.dataset.orig : tx.textContent;
    const a = Math.max(0, pos - starts[l - 1]), b = Math.min(text.length, end - starts[l - 1]);
    if (b <= a) continue;
    tx.dataset.orig = text;
    tx.textContent = '';
    const m = document.createElement('mark'); m.className = 'hlr'; m.textContent = text.slice(a, b);
    tx.append(text.slice(0, a), m, text.slice(b));
  }
}
function markLines(which, lines) { for (const l of lines) mark(lineEl(which, l)); }
function markNode(id) { mark(document.getElementById(id)); }
function markItem(sel) { for (const el of document.querySelectorAll(sel)) mark(el); }

function showResume(ci, ri) {
  const r = DATA.coroutines[ci].resume[ri];
  markRange('src', r.src); markRange('out', r.out, false); markNode(r.node);
  markItem('.item[data-kind="resume"][data-c="' + ci + '"][data-i="' + ri + '"]');
}
function showField(ci, fi) {
  const c = DATA.coroutines[ci], f = c.fields[fi];
  markRange('src', f.src);
  // Output: what the declaration's lines map to, and every load/store/clear of the field.
  if (f.src) for (let l = f.src[2]; l <= f.src[4]; l++) markLines('out', srcToOut.get(l) || []);
  const ranges = [c.frame.range, ...c.resume.map((r) => r.out)].filter(Boolean);
  const re = new RegExp('(\\\\$f|this)\\\\.' + f.name.replace(/[$]/g, '\\\\$&') + '(?![\\\\w$])');
  for (const rg of ranges) for (let l = rg[2]; l <= rg[4]; l++) if (re.test(lineEl('out', l).querySelector('.tx').textContent)) mark(lineEl('out', l));
  for (const n of f.nodes) markNode(n);
  markItem('.item[data-kind="field"][data-c="' + ci + '"][data-i="' + fi + '"]');
}
function showCoroutine(ci) {
  const c = DATA.coroutines[ci];
  markRange('src', c.range, false); markRange('out', c.frame.range, false);
  for (const r of c.resume) { markRange('out', r.out, false); markNode(r.node); }
  markItem('h3[data-c="' + ci + '"]');
}
function showLine(which, line) {
  mark(lineEl(which, line));
  if (which === 'src') {
    const outs = [...(srcToOut.get(line) || [])];
    markLines('out', outs);
    for (const l of outs) for (const n of nodesForOutLine(l)) markNode(n);
    for (const r of resumesForSrcLine(line)) markNode(r.node);
  } else {
    markLines('src', outToSrc.get(line) || []);
    for (const n of nodesForOutLine(line)) markNode(n);
  }
}
function act(target) {
  const item = target.closest('.item');
  if (item) return () => (item.dataset.kind === 'resume' ? showResume : showField)(+item.dataset.c, +item.dataset.i);
  const node = target.closest('g.node');
  if (node) {
    const m = /^c(\\d+)_r(\\d+)$/.exec(node.id);
    if (m) return () => showResume(+m[1], +m[2]);
    return null;
  }
  const ln = target.closest('.ln');
  if (ln) return () => showLine(ln.parentElement.id, +ln.dataset.line);
  return null;
}
let pinned = null;
// Bring the highlighted lines of the panes the pointer is not in into view.
function reveal(from) {
  for (const which of ['src', 'out']) {
    if (from && from.closest('#' + which)) continue;
    const first = panes[which].querySelector('.ln.hl');
    if (!first) continue;
    const top = first.offsetTop, pane = panes[which];
    if (top < pane.scrollTop || top > pane.scrollTop + pane.clientHeight - 20) pane.scrollTop = Math.max(0, top - pane.clientHeight / 4);
  }
  const node = document.querySelector('g.node.hl');
  if (node && !(from && from.closest('#graph'))) {
    const box = node.closest('.graph'), r = node.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.left < b.left || r.right > b.right) box.scrollLeft += r.left - b.left - b.width / 3;
  }
}
function apply(fn, from) { clear(); if (fn) { fn(); reveal(from); } }
document.addEventListener('mouseover', (e) => { const fn = act(e.target); if (fn) apply(fn, e.target); });
document.addEventListener('mouseout', (e) => { if (!e.relatedTarget || !act(e.relatedTarget)) { clear(); if (pinned) pinned(); } });
document.addEventListener('click', (e) => {
  pinned = act(e.target);
  apply(pinned, e.target);
});
// --fn: open with that coroutine pinned and both panes scrolled to it.
if (DATA.focus >= 0) {
  pinned = () => showCoroutine(DATA.focus);
  apply(pinned, null);
  document.getElementById('lists').querySelector('h3[data-c="' + DATA.focus + '"]').scrollIntoView({ block: 'nearest' });
}
`;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface HtmlOptions {
  /** The coroutine `--fn` named: the page opens with it pinned and scrolled into view. */
  focus?: string;
}

export async function toHtml(model: InspectResult, options: HtmlOptions = {}): Promise<string> {
  const focus = options.focus === undefined ? -1 : model.coroutines.findIndex((c) => c.name === options.focus);
  const graphs: string[] = [];
  for (let ci = 0; ci < model.coroutines.length; ci++) {
    const c = model.coroutines[ci]!;
    // Layout grows faster than linearly: past a few hundred resume points the graph says less than
    // the lists beside it, so the page shows a summary and points to the exact formats.
    const graph =
      c.resumeFunctions.length > MAX_DRAWN_RESUME_POINTS
        ? `<p class="summary">${esc(c.name)}: ${c.resumeFunctions.length} resume functions and ${c.suspends.length} suspension points, more than the ${MAX_DRAWN_RESUME_POINTS} this page draws; the lists below have every one, and <code>--format dot</code> or <code>--format json</code> the whole graph.</p>`
        : await renderSvg(toDot(model, ci), c.resumeFunctions.length + c.suspends.length);
    graphs.push(`<div class="graph" id="graph-${ci}">${graph}</div>`);
  }
  const data = JSON.stringify(pageData(model, focus)).replace(/</g, '\\u003c');
  const lists = model.coroutines
    .map((c, ci) => {
      const resumes = c.resumeFunctions
        .map((rf) => {
          const sp = c.suspends[rf.suspend];
          const at = sp.range ? `${sp.range.line}:${sp.range.column}` : '?';
          return `<div class="item" data-kind="resume" data-c="${ci}" data-i="${rf.index}"><span class="k">resume ${rf.index}</span> ← ${esc(at)} <span class="p">(${sp.kind})</span> ${esc(sp.kind === 'initial' ? '' : sp.text)}</div>`;
        })
        .join('\n');
      const fields = c.frame.fields
        .map((f, fi) => {
          const live = f.liveAcross.length ? f.liveAcross.map((s) => `#${s}`).join(' ') : '-';
          const orig = c.vars[f.var].kind === 'temp' ? `temporary (${f.original})` : f.original;
          return `<div class="item" data-kind="field" data-c="${ci}" data-i="${fi}"><span class="k">${esc(f.name)}</span> <span class="p">${esc(orig)}; live across ${live}</span></div>`;
        })
        .join('\n');
      return `<h3 data-c="${ci}">${esc(c.name)} <span class="p">(${esc(c.frame.class)})</span></h3>\n<div>Resume points</div>\n${resumes}\n<div>Frame fields</div>\n${fields || '<div class="p">none</div>'}`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>corosplit inspect: ${esc(model.file)}</title>
<style>${CSS}</style>
</head>
<body>
<header>corosplit inspect <b>${esc(model.file)}</b> — ${focus >= 0 ? `focused on <b>${esc(options.focus!)}</b>` : `${model.coroutines.length} coroutine${model.coroutines.length === 1 ? '' : 's'}`}; hover to connect, click to pin</header>
<div class="panes">
<section class="pane"><h2>source: ${esc(model.file)}</h2><div class="code" id="src"></div></section>
<section class="pane"><h2>lowered code</h2><div class="code" id="out"></div></section>
</div>
<div class="below">
<section class="box"><div class="list" id="lists">
${lists}
</div></section>
<section class="box" id="graph"><h2>resume-point graphs</h2>
<div class="graphs">${graphs.join('\n') || '<div class="hint">no coroutines</div>'}</div>
</section>
</div>
<script type="application/json" id="inspect-data">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
