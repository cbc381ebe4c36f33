// corosplit is a transformer over the TypeScript compiler API. TypeScript 7 is the Go port and has
// no such API, so meeting it must stop the build loudly instead of silently skipping the lowering.
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';

export const SUPPORTED_TYPESCRIPT = '>=5.4 <7';

/** Thrown when the TypeScript instance cannot run corosplit: a setup problem, not an input problem. */
export class UnsupportedTypeScriptError extends Error {
  override name = 'UnsupportedTypeScriptError';
}

export function assertSupportedTypeScript(ts: typeof TS | undefined): void {
  const version = (ts && (ts as any).version) || 'unknown';
  const major = Number.parseInt(String(version), 10);
  const minor = Number.parseInt(String(version).split('.')[1] ?? '0', 10);
  if (!ts || typeof (ts as any).transform !== 'function' || !(ts as any).factory || major >= 7) {
    throw new UnsupportedTypeScriptError(
      `corosplit: TypeScript ${version} has no transformer API (TypeScript 7 is the native port), so it cannot lower with it. ` +
        `Build with 'corosplit build' (it lowers with the TypeScript 6 API it ships and asks TypeScript 7 for types), ` +
        `a bundler plugin (corosplit/vite, corosplit/rollup, corosplit/esbuild, corosplit/webpack, ...) or the Node loader ` +
        `(node --import corosplit/register); keep 'tsc' for type checking and declarations. ` +
        `ts-patch (tspc) works only where the package named 'typescript' is TypeScript 5.4–6.`,
    );
  }
  if (!(major > 5 || (major === 5 && minor >= 4))) {
    throw new UnsupportedTypeScriptError(`corosplit: TypeScript ${version} is too old; corosplit needs TypeScript ${SUPPORTED_TYPESCRIPT}.`);
  }
}

// `typescript` is loaded on first use, never imported statically: under ts-patch the compiler hands
// corosplit its own instance, an ESM namespace import of the 9 MB CommonJS module costs a lexing
// pass (measured: +0.6 s, +30 MB), and a project whose `typescript` is TS 7 must still load us.
let defaultTs: typeof TS | undefined;
/**
 * The TypeScript corosplit lowers with: the project's `typescript` when it is 5.4–6.x, otherwise
 * (TypeScript 7, or none installed) the TypeScript 6 API corosplit depends on, @typescript/typescript6.
 */
export function defaultTypeScript(): typeof TS {
  if (!defaultTs) {
    const req = createRequire(import.meta.url);
    let own: typeof TS | undefined;
    try {
      own = req('typescript') as typeof TS;
      assertSupportedTypeScript(own);
    } catch {
      own = undefined;
    }
    if (!own) {
      try {
        own = req('@typescript/typescript6') as typeof TS;
      } catch (e) {
        throw new UnsupportedTypeScriptError(
          `corosplit: cannot load a TypeScript 5.4–6 API: neither 'typescript' nor its dependency '@typescript/typescript6' resolves (${e instanceof Error ? e.message.split('\n')[0] : String(e)}). Reinstall corosplit.`,
        );
      }
    }
    defaultTs = own;
  }
  return defaultTs;
}

/**
 * `--typescript MODULE`: a package name or path, resolved from the current directory, that must be
 * a TypeScript with the transformer API (5.4–6). Both failures are setup errors.
 */
export function loadTypeScriptModule(spec: string): typeof TS {
  const fromCwd = createRequire(path.join(process.cwd(), 'noop.js'));
  let ts: typeof TS;
  try {
    ts = fromCwd(spec.startsWith('.') ? path.resolve(spec) : spec) as typeof TS;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    throw new UnsupportedTypeScriptError(`corosplit: error: --typescript ${spec}: ${code === 'MODULE_NOT_FOUND' ? 'cannot find that module from ' + process.cwd() : e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  assertSupportedTypeScript(ts);
  return ts;
}
