// What becomes of a generator method's key on its home object (the class prototype, the class
// itself, or the object literal) after the class or literal is built: whether the runtime may
// replace the method's property there, and whether the method needs a stand-in to keep its
// key's place. Syntax only, asked before the method is lowered (generator-lowering.ts).
import type * as TS from 'typescript';
import { plainlyNotPromiseType } from './promise-type.js';

/** A property name's key when it is known without running code (undefined: computed). */
function staticKey(ts: typeof TS, name: TS.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isNumericLiteral(name)) return String(Number(name.text));
  if (ts.isBigIntLiteral(name)) return BigInt(name.text.slice(0, -1)).toString();
  return undefined;
}

/** Whether a property key is an array index, which objects order by value, not by creation. */
function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

const decorated = (ts: typeof TS, m: TS.Node): boolean => ts.canHaveDecorators(m) && !!ts.getDecorators(m)?.length;

/**
 * The members after `node` that define a property on its home, with the key each defines
 * (undefined: computed, or a spread); undefined when the home is neither a class nor an object
 * literal. In a class, those of the same placement (static or not): methods, accessors and
 * auto-accessor fields, which define a getter and setter.
 */
function laterDefinitions(ts: typeof TS, node: TS.MethodDeclaration): { member: TS.Node; key: string | undefined }[] | undefined {
  const home = node.parent;
  const isStatic = (m: TS.Node): boolean => ts.canHaveModifiers(m) && !!ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
  let later: readonly TS.Node[];
  if (home && ts.isClassLike(home)) {
    const defines = (m: TS.ClassElement): boolean =>
      ((ts.isMethodDeclaration(m) && !!m.body) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m) || (ts.isPropertyDeclaration(m) && !!ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.AccessorKeyword))) &&
      isStatic(m) === isStatic(node) && !ts.isPrivateIdentifier(m.name!);
    later = home.members.slice(home.members.indexOf(node) + 1).filter(defines);
  } else if (home && ts.isObjectLiteralExpression(home)) {
    later = home.properties.slice(home.properties.indexOf(node) + 1);
  } else return undefined;
  return later.map((m) => ({ member: m, key: ts.isSpreadAssignment(m) ? undefined : staticKey(ts, (m as TS.ClassElement | TS.ObjectLiteralElementLike).name!) }));
}

/**
 * What becomes of the method's own property, which decides how the runtime may wire it:
 * - 'last': the property is still the method's own, or a later generator method wired by the same
 *   call defines the key (the runtime wires a key's last definition only; see
 *   defineGeneratorMethods). The runtime may replace the property.
 * - 'overridden': a later member that is not wired so defines the same key: the method is
 *   unreachable and needs no wiring.
 * - 'unknown': a later member may define the key (its key is computed, or it is a spread), or a
 *   decorator may replace the method.
 * `sf` is for the promise-type test of later generator methods, which are not wired so.
 */
export function methodKeyFate(ts: typeof TS, node: TS.MethodDeclaration, sf: TS.SourceFile): 'last' | 'overridden' | 'unknown' {
  const later = laterDefinitions(ts, node);
  if (!later || decorated(ts, node)) return 'unknown';
  const key = staticKey(ts, node.name);
  const wiredLikeThis = (m: TS.Node): boolean =>
    ts.isMethodDeclaration(m) && !!m.asteriskToken && !!m.body && !ts.isPrivateIdentifier(m.name) &&
    !ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.AsyncKeyword) && !decorated(ts, m) &&
    (!m.type || plainlyNotPromiseType(ts, m.type, sf));
  const keys = later.filter((d) => !wiredLikeThis(d.member)).map((d) => d.key);
  if (key !== undefined && keys.includes(key)) return 'overridden';
  return keys.length && (key === undefined || keys.includes(undefined)) ? 'unknown' : 'last';
}

/**
 * Whether a method the runtime makes needs an empty stand-in where it stands, to keep its key's
 * place among the home's own keys. Not when no later member can define a key that orders after
 * it (objects list array indices by value, then other strings in creation order, then symbols
 * in creation order): then a definition after the class or literal is built lands where the
 * method's would have. A computed key is evaluated where it stands, so its method keeps the
 * stand-in; decorators may add members, so a decorated class keeps them all but those of array
 * indices, which order by value whenever they are defined.
 */
export function needsStandIn(ts: typeof TS, node: TS.MethodDeclaration): boolean {
  const key = staticKey(ts, node.name);
  const later = laterDefinitions(ts, node);
  if (!later || key === undefined) return true;
  if (isArrayIndex(key)) return false;
  if (ts.isClassLike(node.parent) && (decorated(ts, node.parent) || node.parent.members.some((m) => decorated(ts, m)))) return true;
  return later.some((d) => d.key === undefined || !isArrayIndex(d.key));
}
