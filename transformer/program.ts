// Program mode: lowering with the type checker, which promise-type coroutines need (their
// detection reads the declared return type; see lower/promise-type.ts). transformSource() works on
// one file without types and so only lowers plain generators.
import type * as TS from 'typescript';
import { createCorosplitTransformer, type CorosplitOptions, type Diagnostic } from './core.js';
import { defaultTypeScript } from './ts-version.js';
import type { LoweringDiagnostic, LoweringOptions } from './lower/file-lowering.js';

export interface TransformProgramOptions extends CorosplitOptions, LoweringOptions {
  ts?: typeof TS;
  /** only these source files (default: every non-declaration file of the program) */
  files?: readonly string[];
}

export interface ProgramTransformResult {
  /** emitted files by output path (JavaScript, source maps, declarations as the program's options say) */
  files: Map<string, string>;
  /** corosplit's diagnostics and the program's emit diagnostics; nothing is in `files` when there are errors */
  diagnostics: Diagnostic[];
}

/**
 * Emits the program with corosplit's transformer (and the program's type checker), into memory.
 * Type errors of the program are not reported here (call ts.getPreEmitDiagnostics for those).
 */
export function transformProgram(program: TS.Program, options: TransformProgramOptions = {}): ProgramTransformResult {
  const ts = options.ts ?? defaultTypeScript();
  const lowering: LoweringDiagnostic[] = [];
  const transformer = createCorosplitTransformer(ts, { ...options, program }, lowering);
  const files = new Map<string, string>();
  const targets = options.files ? options.files.map((f) => program.getSourceFile(f)).filter((s): s is TS.SourceFile => !!s) : [undefined];
  const emitDiagnostics: TS.Diagnostic[] = [];
  // A file that does not parse is not lowered: the parser's recovery tree is not the program.
  for (const sf of targets[0] === undefined ? program.getSourceFiles() : (targets as TS.SourceFile[])) {
    if (!sf.isDeclarationFile) emitDiagnostics.push(...program.getSyntacticDiagnostics(sf));
  }
  if (emitDiagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) targets.length = 0;
  let internal: string | undefined;
  for (const target of targets) {
    try {
      const r = program.emit(target, (name, text) => files.set(name, text), undefined, false, { before: [transformer] });
      emitDiagnostics.push(...r.diagnostics);
    } catch (e) {
      internal = e instanceof Error ? e.message : String(e);
      break;
    }
  }
  const diagnostics: Diagnostic[] = [];
  const at = (fileName: string, start: number | undefined, message: string, category: 'error' | 'warning'): Diagnostic => {
    const sf = program.getSourceFile(fileName);
    const lc = sf && start !== undefined ? sf.getLineAndCharacterOfPosition(start) : { line: 0, character: 0 };
    const line = lc.line + 1;
    const column = lc.character + 1;
    return { file: fileName, line, column, message, category, text: `${fileName}:${line}:${column}: ${category}: ${message}` };
  };
  for (const d of emitDiagnostics) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    diagnostics.push(at(d.file?.fileName ?? '', d.start, ts.flattenDiagnosticMessageText(d.messageText, '\n'), 'error'));
  }
  for (const d of lowering) diagnostics.push(at(d.file, d.start, d.message, d.category));
  if (internal !== undefined) diagnostics.push({ file: '', line: 0, column: 0, message: `internal error in corosplit: ${internal}`, category: 'error', text: `error: internal error in corosplit: ${internal}` });
  if (diagnostics.some((d) => d.category === 'error')) files.clear();
  return { files, diagnostics };
}
