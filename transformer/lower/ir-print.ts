// The coroutine IR as text: what tests read to check a pass's output, and what
// `corosplit inspect --format ir` prints. One line per variable, region, suspension point,
// statement and terminator; variables are named by their output names (unique per coroutine).
import type * as TS from 'typescript';
import type { CoroutineIR, IRStmt, Terminator, VarId } from './ir.js';

export function printIR(ts: typeof TS, ir: CoroutineIR, sourceFile?: TS.SourceFile): string {
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const sf = sourceFile ?? ts.createSourceFile('ir.ts', '', ts.ScriptTarget.Latest);
  const name = (v: VarId | undefined): string => (v === undefined ? '-' : (ir.vars[v]?.name ?? `v${v}`));
  const names = (vs: readonly VarId[]): string => (vs.length ? vs.map(name).join(', ') : '-');
  const code = (n: TS.Node): string => {
    let text: string;
    try {
      text = printer.printNode(ts.EmitHint.Unspecified, n, sf);
    } catch {
      text = `<${ts.SyntaxKind[n.kind]}>`;
    }
    return text.replace(/\s*\n\s*/g, ' ').trim();
  };
  const out: string[] = [];
  out.push(`coroutine ${ir.name} (${ir.kind}): entry b${ir.entry}${ir.destroy !== undefined ? `, destroy b${ir.destroy}` : ''}, params ${names(ir.params)}${ir.mappedParameters ? ' (mapped arguments)' : ''}`);
  out.push('vars:');
  for (const v of ir.vars) {
    const flags = [v.captured && 'captured', v.boxed && 'boxed', v.byValue && 'by-value', v.readonly && 'readonly', v.inLoop && 'in-loop'].filter(Boolean).join(' ');
    out.push(`  ${v.name}: ${v.kind}${v.original !== v.name ? ` '${v.original}'` : ''}${flags ? ` [${flags}]` : ''}`);
  }
  if (ir.regions.length) {
    out.push('regions:');
    for (const r of ir.regions) {
      const fin = r.finally ? ` finally b${r.finally.entry} (code ${name(r.finally.code)}, value ${name(r.finally.value)})` : '';
      const it = r.iterator ? ` iterator ${name(r.iterator.it)}${r.iterator.done !== undefined ? ` done ${name(r.iterator.done)}` : ''}${r.iterator.src !== undefined ? ` src ${name(r.iterator.src)}` : ''}${r.iterator.async ? ' async' : ''}` : '';
      out.push(`  r${r.id}: ${r.kind}${r.parent >= 0 ? ` in r${r.parent}` : ''} -> b${r.handler} (${name(r.exc)})${fin}${it}`);
    }
  }
  out.push('suspends:');
  for (const s of ir.suspends) out.push(`  #${s.id}: ${s.kind}${s.from >= 0 ? ` from b${s.from}` : ''} resumes b${s.resume}`);
  for (const b of ir.blocks) {
    out.push(`b${b.id}${b.label ? ` "${b.label}"` : ''}${b.region >= 0 ? ` in r${b.region}` : ''}:`);
    for (const s of b.stmts) out.push(`  ${statement(s)}`);
    out.push(`  ${terminator(b.term)}`);
  }
  return out.join('\n') + '\n';

  function statement(s: IRStmt): string {
    if (s.box) return `box ${names(s.box.vars)}${s.box.copy ? ' (copy)' : ''}`;
    const maybe = s.writes.filter((v) => !s.defs.includes(v));
    const effects = [s.defs.length && `defs ${names(s.defs)}`, maybe.length && `writes ${names(maybe)}`, s.uses.length && `uses ${names(s.uses)}`].filter(Boolean).join('; ');
    return `${code(s.node)}${s.tdzInit !== undefined ? ' (tdz)' : ''}${effects ? `    // ${effects}` : ''}`;
  }

  function terminator(t: Terminator): string {
    switch (t.kind) {
      case 'goto':
        return `goto b${t.target}`;
      case 'branch':
        return `branch ${code(t.cond)} ? b${t.then} : b${t.else}`;
      case 'switch':
        return `switch ${name(t.on)} { ${[...t.cases.map((c) => `${c.value}: b${c.target}`), `default: b${t.default}`].join(', ')} }`;
      case 'yield':
        return `${t.raw ? 'yield-raw' : 'yield'} ${code(t.value)} -> #${t.suspend}`;
      case 'return':
        return `return ${code(t.value)}`;
      case 'throw':
        return `throw ${code(t.value)}`;
      case 'resume':
        return `resume #${t.suspend}: next b${t.next}${t.sent !== undefined ? ` (${name(t.sent)})` : ''}, throw b${t.throwTarget} (${name(t.exc)}), return b${t.returnTarget} (${name(t.ret)})${t.mode !== undefined ? `, mode ${name(t.mode)}` : ''}`;
      case 'resume-delegate':
        return `resume-delegate #${t.suspend}: next b${t.next} (value ${name(t.value)}, mode ${name(t.mode)})`;
    }
  }
}
