// How deeply a source nests, found with TypeScript's scanner before anything parses it. The
// parser, the lowering and the printer all recurse over the syntax tree, so 5,000 nested
// parentheses or a 10,000-term `+` chain exhaust the stack; such input gets a located diagnostic
// naming the limit instead of an internal error.
import type * as TS from 'typescript';

/** Brackets ( [ { and `${` open inside one another. */
export const MAX_NESTING = 500;
/** Binary operators and member accesses in one expression, which nest left to right. */
export const MAX_CHAIN = 1000;

export interface NestingExcess {
  /** offset of the token that went past the limit */
  pos: number;
  message: string;
}

const OPENERS = new Set<number>();
const CLOSERS = new Set<number>();
const CHAIN = new Set<number>();
const RESETS = new Set<number>();

function init(ts: typeof TS): void {
  if (OPENERS.size) return;
  const K = ts.SyntaxKind;
  for (const k of [K.OpenParenToken, K.OpenBracketToken, K.OpenBraceToken, K.TemplateHead]) OPENERS.add(k);
  for (const k of [K.CloseParenToken, K.CloseBracketToken, K.CloseBraceToken]) CLOSERS.add(k);
  for (const k of [
    K.PlusToken, K.MinusToken, K.AsteriskToken, K.SlashToken, K.PercentToken, K.AsteriskAsteriskToken,
    K.AmpersandToken, K.BarToken, K.CaretToken, K.AmpersandAmpersandToken, K.BarBarToken, K.QuestionQuestionToken,
    K.LessThanLessThanToken, K.GreaterThanGreaterThanToken, K.GreaterThanGreaterThanGreaterThanToken,
    K.EqualsEqualsToken, K.ExclamationEqualsToken, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken,
    K.LessThanToken, K.GreaterThanToken, K.LessThanEqualsToken, K.GreaterThanEqualsToken,
    K.InstanceOfKeyword, K.InKeyword, K.DotToken, K.QuestionDotToken,
  ]) CHAIN.add(k);
  // A list (array elements, arguments, properties) does not nest: its separators end a chain.
  for (const k of [K.SemicolonToken, K.CommaToken, K.EqualsGreaterThanToken, K.ColonToken]) RESETS.add(k);
  // So do the keywords that start a statement or declaration: statements that end in `}` (a
  // function, a class, a block) have no semicolon, and `function*`'s star is no operator.
  for (const k of [
    K.FunctionKeyword, K.ClassKeyword, K.ExportKeyword, K.ImportKeyword, K.ConstKeyword, K.LetKeyword, K.VarKeyword,
    K.IfKeyword, K.ElseKeyword, K.ForKeyword, K.WhileKeyword, K.DoKeyword, K.ReturnKeyword, K.ThrowKeyword,
    K.SwitchKeyword, K.CaseKeyword, K.DefaultKeyword, K.TryKeyword, K.BreakKeyword, K.ContinueKeyword,
  ]) RESETS.add(k);
}

/** A token after which a `/` starts a regular expression rather than a division. */
function regexMayFollow(ts: typeof TS, prev: number | undefined): boolean {
  const K = ts.SyntaxKind;
  if (prev === undefined) return true;
  if (prev === K.Identifier || prev === K.NumericLiteral || prev === K.BigIntLiteral || prev === K.StringLiteral || prev === K.CloseParenToken || prev === K.CloseBracketToken || prev === K.CloseBraceToken || prev === K.ThisKeyword || prev === K.SuperKeyword || prev === K.TrueKeyword || prev === K.FalseKeyword || prev === K.NullKeyword || prev === K.PlusPlusToken || prev === K.MinusMinusToken || prev === K.RegularExpressionLiteral || prev === K.NoSubstitutionTemplateLiteral || prev === K.TemplateTail) return false;
  return true;
}

/** The first place `text` nests past a limit, or undefined. Linear in the text; never throws. */
export function findExcessiveNesting(ts: typeof TS, text: string, jsx: boolean): NestingExcess | undefined {
  // A file that cannot nest that deeply is not worth scanning.
  if (text.length < MAX_CHAIN) return undefined;
  init(ts);
  const K = ts.SyntaxKind;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  const stack: number[] = [];
  const chains: number[] = [0];
  let prev: number | undefined;
  try {
    for (let t = scanner.scan(); t !== K.EndOfFileToken; t = scanner.scan()) {
      if ((t === K.SlashToken || t === K.SlashEqualsToken) && regexMayFollow(ts, prev)) t = scanner.reScanSlashToken();
      if (t === K.CloseBraceToken && stack[stack.length - 1] === K.TemplateHead) {
        // The `}` ending a template substitution: the template goes on.
        t = scanner.reScanTemplateToken(false);
        if (t === K.TemplateTail) {
          stack.pop();
          chains.pop();
        } else chains[chains.length - 1] = 0;
        prev = t;
        continue;
      }
      if (OPENERS.has(t)) {
        stack.push(t);
        chains.push(0);
        if (stack.length > MAX_NESTING) {
          return { pos: scanner.getTokenStart(), message: `input too deeply nested: more than ${MAX_NESTING} brackets open inside one another here, corosplit's limit (the compiler recurses once per level); split the expression` };
        }
      } else if (CLOSERS.has(t)) {
        if (stack.length) {
          stack.pop();
          chains.pop();
        }
      } else if (RESETS.has(t)) chains[chains.length - 1] = 0;
      else if (CHAIN.has(t)) {
        if (++chains[chains.length - 1]! > MAX_CHAIN) {
          return { pos: scanner.getTokenStart(), message: `input too deeply nested: an expression of more than ${MAX_CHAIN} operators or member accesses in a row here, corosplit's limit (each one nests the tree a level deeper); split it into smaller expressions` };
        }
      }
      prev = t;
    }
  } catch {
    return undefined;
  }
  return undefined;
}
