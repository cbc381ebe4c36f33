// Task and the awaitables are typed so that source coroutines type-check before lowering:
// `function* f(): Task<T>` is accepted and `yield* task` has the task's result type.
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

describe('Task typing', () => {
  it('accepts Task/Lazy return types and types yield* results', () => {
    const file = fileURLToPath(new URL('./fixtures/task-types.ts', import.meta.url));
    const program = ts.createProgram([file], {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts'],
      types: [],
      noEmit: true,
      skipLibCheck: true,
    });
    const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
    const lines = diags.map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
      return `${d.file!.text.split('\n')[line].trim()} :: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/EXPECTED ERROR :: Type 'number' is not assignable to type 'string'/);
  });
});
