// corosplit is a transformer over the TypeScript compiler API. TypeScript 7 is the Go port and has
// no such API, so meeting it must stop the build loudly instead of silently skipping the lowering.
import type * as TS from 'typescript';

export const SUPPORTED_TYPESCRIPT = '>=5.0 <7';

export function assertSupportedTypeScript(ts: typeof TS | undefined): void {
  const version = (ts && (ts as any).version) || 'unknown';
  const major = Number.parseInt(String(version), 10);
  if (!ts || typeof (ts as any).transform !== 'function' || !(ts as any).factory || major >= 7) {
    throw new Error(
      `corosplit: TypeScript ${version} has no transformer API (TypeScript 7 is the native port). ` +
        `corosplit needs TypeScript ${SUPPORTED_TYPESCRIPT}. Keep TypeScript 7 for type checking if you like, and give ` +
        `corosplit the JavaScript compiler through its alias package: npm install -D typescript@npm:@typescript/typescript6 ` +
        `(or build with ts-patch on TypeScript 6).`,
    );
  }
  if (!(major >= 5)) {
    throw new Error(`corosplit: TypeScript ${version} is too old; corosplit needs TypeScript ${SUPPORTED_TYPESCRIPT}.`);
  }
}
