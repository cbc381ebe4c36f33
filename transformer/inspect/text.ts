// `--format text`: per coroutine, its suspension points, its frame layout and its lowered code
// (frame class and resume functions), each resume function headed by the source position it resumes.
import { where, type InspectCoroutine, type InspectResult, type TextRange } from './model.js';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/** The output lines a range covers, from the start of its first line. */
function outputText(code: string, r: TextRange): string {
  const lineStart = code.lastIndexOf('\n', r.pos - 1) + 1;
  const text = code.slice(lineStart, r.end);
  // Drop the common indentation (functions hoisted into blocks are indented).
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

function coroutineText(model: InspectResult, c: InspectCoroutine): string[] {
  const file = model.file;
  const out: string[] = [];
  const varName = (id: number): string => c.vars[id].name;
  out.push(`== ${c.name} (${c.kind}) at ${where(file, c.range)}`);
  out.push('');
  out.push('suspension points:');
  out.push(
    ...table([
      ['  #', 'kind', 'at', 'resumes in', 'live across', 'expression'],
      ...c.suspends.map((s) => [
        `  ${s.id}`,
        s.kind,
        where(file, s.range),
        c.resumeFunctions[s.resumeFunction].name,
        s.liveAcross.length ? s.liveAcross.map(varName).join(', ') : '-',
        s.text,
      ]),
    ]),
  );
  out.push('');
  out.push(`frame layout (${c.frame.class}):`);
  if (c.frame.fields.length === 0) out.push('  (no fields: nothing is live across a suspension point)');
  else {
    out.push(
      ...table([
        ['  field', 'original', 'live across', 'cleared at'],
        ...c.frame.fields.map((f) => {
          const v = c.vars[f.var];
          const origin = v.kind === 'temp' ? `temporary (${f.original})` : `${f.original} (${v.kind}${v.range ? ` ${where(file, v.range)}` : ''})`;
          const notes = [f.rampProvided ? 'set by the ramp' : '', f.captured ? 'captured: kept until the end' : ''].filter(Boolean);
          const live = f.liveAcross.length ? f.liveAcross.map((s) => `#${s}`).join(' ') : '-';
          const cleared = f.clearedAt.length ? f.clearedAt.map((x) => `#${x.suspend} by ${c.resumeFunctions[x.resumeFunction].name}`).join(', ') : 'on completion ($drop)';
          return [`  ${f.name}`, origin + (notes.length ? ` [${notes.join('; ')}]` : ''), live, cleared];
        }),
      ]),
    );
  }
  out.push('');
  out.push('lowered code:');
  if (c.frame.outputRange) out.push(outputText(model.output.code, c.frame.outputRange));
  for (const rf of c.resumeFunctions) {
    const sp = c.suspends[rf.suspend];
    out.push(`/* resume ${rf.index} ← ${where(file, sp.range)} (${sp.kind}) */`);
    out.push(rf.outputRange ? outputText(model.output.code, rf.outputRange) : `/* ${rf.name}: not found in the output */`);
  }
  const next = c.frame.next;
  if (next) {
    out.push('/* next(): direct calls to the hot resume functions, the shared path for the rest */');
    out.push(next.outputRange ? outputText(model.output.code, next.outputRange) : `/* ${next.name}: not found in the output */`);
  }
  return out;
}

export function toText(model: InspectResult): string {
  const parts: string[] = [`// corosplit inspect ${model.file}: ${model.coroutines.length} coroutine${model.coroutines.length === 1 ? '' : 's'}`];
  for (const c of model.coroutines) parts.push('', ...coroutineText(model, c));
  return parts.join('\n') + '\n';
}
