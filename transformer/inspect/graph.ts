// The resume-point graph: one node per resume function, an edge from a resume function to the one
// that continues after each suspension point it can reach, plus the way in (the first resume) and
// the ways out (return, throw). Read off the model's blocks and suspension points; rendered as
// Graphviz DOT and Mermaid stateDiagram-v2.
import type { GraphEdge, GraphNode, InspectCoroutine, InspectResult, ResumeGraph } from './schema.js';

export type { GraphEdge, GraphNode, ResumeGraph } from './schema.js';

const RESUME_MODES = 'next() throw() return()';

export function buildGraph(c: Omit<InspectCoroutine, 'graph' | 'ir'>): ResumeGraph {
  const nodes: GraphNode[] = [{ id: 'start', kind: 'start', resumeFunction: null, name: 'start', suspend: null, suspendKind: null, range: null }];
  for (const rf of c.resumeFunctions) {
    const sp = c.suspends[rf.suspend];
    nodes.push({ id: `r${rf.index}`, kind: 'resume', resumeFunction: rf.index, name: rf.name, suspend: sp.id, suspendKind: sp.kind, range: sp.range });
  }
  const edges: GraphEdge[] = [];
  const initial = c.suspends.find((s) => s.kind === 'initial');
  if (initial) edges.push({ from: 'start', to: `r${initial.resumeFunction}`, kind: 'start', suspend: initial.id, label: RESUME_MODES });
  let returns = false;
  let throws = false;
  for (const rf of c.resumeFunctions) {
    for (const s of rf.suspendsAt) {
      const sp = c.suspends[s];
      const text = sp.text.length > 28 ? sp.text.slice(0, 27) + '…' : sp.text;
      const via = sp.kind === 'yield*' ? `${text}\n${RESUME_MODES} (delegated)` : `${text}\n${RESUME_MODES}`;
      edges.push({ from: `r${rf.index}`, to: `r${sp.resumeFunction}`, kind: 'suspend', suspend: s, label: via });
    }
    const exits = new Set<string>();
    for (const b of rf.blocks) for (const e of c.blocks[b].edges) if (e.target === null) exits.add(e.kind);
    if (exits.has('return')) {
      returns = true;
      edges.push({ from: `r${rf.index}`, to: 'done', kind: 'return', suspend: null, label: 'return' });
    }
    if (exits.has('throw')) {
      throws = true;
      edges.push({ from: `r${rf.index}`, to: 'threw', kind: 'throw', suspend: null, label: 'throw' });
    }
  }
  if (returns) nodes.push({ id: 'done', kind: 'done', resumeFunction: null, name: 'done', suspend: null, suspendKind: null, range: null });
  if (throws) nodes.push({ id: 'threw', kind: 'threw', resumeFunction: null, name: 'threw', suspend: null, suspendKind: null, range: null });
  return { nodes, edges };
}

/** The label of a resume function's node: its name and the source position it resumes. */
export function nodeLabel(file: string, n: GraphNode): string {
  if (n.kind !== 'resume') return n.name;
  const pos = n.range ? `${file}:${n.range.line}:${n.range.column}` : file;
  return `${n.name}\n${pos} (${n.suspendKind})`;
}

/** The DOT/SVG id of a graph node: `c<coroutine index>_<node id>`. */
export function domId(coroutine: number, node: string): string {
  return `c${coroutine}_${node}`;
}

function dotString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

/** DOT for every coroutine of the model, or only for the one at index `only` (ids stay the same). */
export function toDot(model: InspectResult, only?: number): string {
  const lines = ['digraph corosplit {', '  rankdir=TB;', '  node [shape=box, style="rounded", fontname="Courier", fontsize=10];', '  edge [fontname="Courier", fontsize=9];'];
  model.coroutines.forEach((c, ci) => {
    if (only !== undefined && ci !== only) return;
    lines.push(`  subgraph cluster_${ci} {`);
    lines.push(`    label=${dotString(`${c.name} (${model.file}:${c.range.line}:${c.range.column})`)};`);
    lines.push('    fontname="Courier";');
    for (const n of c.graph.nodes) {
      const id = domId(ci, n.id);
      const attrs: string[] = [`id=${dotString(id)}`];
      if (n.kind === 'start') attrs.push('shape=point', 'width=0.15', 'label=""');
      else if (n.kind === 'done' || n.kind === 'threw') attrs.push('shape=doublecircle', `label=${dotString(n.name)}`, 'width=0.3');
      else attrs.push(`label=${dotString(nodeLabel(model.file, n))}`);
      lines.push(`    ${dotString(id)} [${attrs.join(', ')}];`);
    }
    c.graph.edges.forEach((e, ei) => {
      const attrs = [`id=${dotString(`${domId(ci, 'e' + ei)}`)}`, `label=${dotString(e.label)}`];
      if (e.kind === 'throw') attrs.push('style=dashed');
      lines.push(`    ${dotString(domId(ci, e.from))} -> ${dotString(domId(ci, e.to))} [${attrs.join(', ')}];`);
    });
    lines.push('  }');
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Mermaid state ids: letters, digits and underscores only. */
function mermaidId(ci: number, node: string): string {
  return `c${ci}_${node}`;
}

/**
 * Text Mermaid shows as-is: `#` and `;` end a transition label and `"` a state name, `<`/`>` would
 * be read as HTML; those become entity codes. Newlines become <br/>.
 */
const MERMAID_ENTITIES: Record<string, string> = { '#': '#35;', '"': '#quot;', ';': '#59;', '<': '#lt;', '>': '#gt;', '\n': '<br/>' };
function mermaidText(s: string): string {
  return s.replace(/[#";<>\n]/g, (m) => MERMAID_ENTITIES[m]);
}

export function toMermaid(model: InspectResult): string {
  const lines = ['stateDiagram-v2'];
  model.coroutines.forEach((c, ci) => {
    const inner: string[] = [];
    for (const n of c.graph.nodes) {
      if (n.kind === 'resume') inner.push(`state "${mermaidText(nodeLabel(model.file, n))}" as ${mermaidId(ci, n.id)}`);
    }
    for (const e of c.graph.edges) {
      const from = e.from === 'start' ? '[*]' : mermaidId(ci, e.from);
      const to = e.to === 'done' || e.to === 'threw' ? '[*]' : mermaidId(ci, e.to);
      inner.push(`${from} --> ${to} : ${mermaidText(e.label)}`);
    }
    const title = mermaidText(`${c.name} (${model.file}:${c.range.line}:${c.range.column})`);
    lines.push(`  state "${title}" as c${ci} {`);
    for (const l of inner) lines.push(`    ${l}`);
    lines.push('  }');
  });
  return lines.join('\n') + '\n';
}
