// corosplit is a transformer over the TypeScript compiler API. TypeScript 7 is the Go port and has
// no such API, so meeting it must stop the build loudly instead of silently skipping the lowering.
import { createRequire } from 'node:module';
import type * as TS from 'typescript';

export const SUPPORTED_TYPESCRIPT = '>=5.0 <7';

/** Thrown when the TypeScript instance cannot run corosplit: a setup problem, not an input problem. */
export class UnsupportedTypeScriptError extends Error {
  override name = 'UnsupportedTypeScriptError';
}

export function assertSupportedTypeScript(ts: typeof TS | undefined): void {
  const version = (ts && (ts as any).version) || 'unknown';
  const major = Number.parseInt(String(version), 10);
  if (!ts || typeof (ts as any).transform !== 'function' || !(ts as any).factory || major >= 7) {
    throw new UnsupportedTypeScriptError(
      `corosplit: TypeScript ${version} has no transformer API (TypeScript 7 is the native port). ` +
        `corosplit needs TypeScript ${SUPPORTED_TYPESCRIPT}. Keep TypeScript 7 for type checking if you like, and give ` +
        `corosplit the JavaScript compiler through its alias package: npm install -D typescript@npm:@typescript/typescript6 ` +
        `(or install @typescript/typescript6 under its own name and hand it over: the \`ts\` option of transformSource, ` +
        `corosplit transform --typescript @typescript/typescript6). A ts-patch (tspc) build needs the package named ` +
        `'typescript' itself to be TypeScript 5 or 6.`,
    );
  }
  if (!(major >= 5)) {
    throw new UnsupportedTypeScriptError(`corosplit: TypeScript ${version} is too old; corosplit needs TypeScript ${SUPPORTED_TYPESCRIPT}.`);
  }
}

// `typescript` is loaded on first use, never imported statically: under ts-patch the compiler hands
// corosplit its own instance, an ESM namespace import of the 9 MB CommonJS module costs a lexing
// pass (measured: +0.6 s, +30 MB), and a project whose `typescript` is TS 7 must get the message
// above rather than a failure while importing corosplit.
let defaultTs: typeof TS | undefined;
/** The `typescript` that corosplit resolves, loaded on first call. */
export function defaultTypeScript(): typeof TS {
  if (!defaultTs) {
    try {
      defaultTs = createRequire(import.meta.url)('typescript') as typeof TS;
    } catch (e) {
      throw new UnsupportedTypeScriptError(
        `corosplit: cannot load the 'typescript' package (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); corosplit needs TypeScript ${SUPPORTED_TYPESCRIPT} installed beside it.`,
      );
    }
  }
  return defaultTs;
}
