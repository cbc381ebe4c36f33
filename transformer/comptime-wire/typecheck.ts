// Program mode: checks each emitted literal against the declared type of the binding it
// initialises. The module's text with every comptime() call replaced by its literal is checked as
// a synthetic sibling file in a program sharing the original's options and files; errors inside a
// literal (or on the declaration it initialises) become diagnostics at the comptime() call.
import path from 'node:path';
import type * as TS from 'typescript';
import type { LoweringDiagnostic } from '../lower/file-lowering.js';
import type { ComptimeCall } from './detect.js';

export function checkLiteralTypes(ts: typeof TS, program: TS.Program, sf: TS.SourceFile, calls: ComptimeCall[], expressions: readonly string[]): LoweringDiagnostic[] {
  // Only calls that initialise a binding with a declared type are checked.
  const checked = calls.map((c, i) => ({ c, i })).filter(({ c }) => ts.isVariableDeclaration(c.node.parent) && c.node.parent.type !== undefined && c.node.parent.initializer === c.node);
  if (checked.length === 0) return [];
  // Build the synthetic text and remember where each literal and declaration name went.
  let text = '';
  let last = 0;
  const spans: { call: ComptimeCall; start: number; end: number; nameStart: number; nameEnd: number }[] = [];
  let shift = 0;
  calls.forEach((c, i) => {
    const lit = `(${expressions[i]})`;
    text += sf.text.slice(last, c.start);
    const start = text.length;
    text += lit;
    last = c.end;
    const decl = c.node.parent;
    if (checked.some((x) => x.c === c) && ts.isVariableDeclaration(decl)) {
      // the declaration name precedes the call, so it moved by the shifts of earlier calls only
      spans.push({ call: c, start, end: text.length, nameStart: decl.name.getStart(sf) + shift, nameEnd: decl.name.getEnd() + shift });
    }
    shift += lit.length - (c.end - c.start);
  });
  text += sf.text.slice(last);

  const options = program.getCompilerOptions();
  const ext = path.extname(sf.fileName) || '.ts';
  const synthetic = path.join(path.dirname(sf.fileName), `__corosplit_comptime_check__${path.basename(sf.fileName, ext)}${ext}`).split(path.sep).join('/');
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (fileName === synthetic) return ts.createSourceFile(fileName, text, languageVersion, true);
    return program.getSourceFile(fileName) ?? getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (f) => f === synthetic || baseFileExists(f);
  let diags: readonly TS.Diagnostic[];
  try {
    const check = ts.createProgram({ rootNames: [synthetic], options: { ...options, noEmit: true }, host });
    const file = check.getSourceFile(synthetic);
    if (!file) return [];
    diags = check.getSemanticDiagnostics(file);
  } catch {
    return [];
  }
  const out: LoweringDiagnostic[] = [];
  for (const s of spans) {
    const mine = diags.filter((d) => d.start !== undefined && d.category === ts.DiagnosticCategory.Error && ((d.start >= s.start && d.start < s.end) || (d.start >= s.nameStart && d.start < s.nameEnd)));
    if (mine.length === 0) continue;
    const decl = s.call.node.parent as TS.VariableDeclaration;
    const typeText = decl.type!.getText(sf);
    const messages = [...new Set(mine.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')))];
    out.push({
      file: sf.fileName,
      start: s.call.start,
      length: s.call.end - s.call.start,
      message: `comptime: the result does not match the declared type '${typeText}' of '${decl.name.getText(sf)}'\n${messages.map((m) => `  note: ${m}`).join('\n')}`,
      category: 'error',
    });
  }
  return out;
}
