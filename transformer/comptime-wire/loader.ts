// Module loading for build-time evaluation: resolves imports like the compiler and hands the
// evaluator JavaScript — project TypeScript transpiled and lowered by corosplit itself, node_modules
// JavaScript as is, corosplit/runtime from this package's dist/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TS from 'typescript';
import { positionMapFromSourceMap, type LoadedModule, type OriginalPosition, type PositionMap, type RawSourceMap } from '../comptime/index.js';

/** dist/ of this package (this file is dist/transformer/comptime-wire/loader.js). */
export const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const runtimeDir = path.join(distDir, 'runtime');

/** A lowering of one source file: JavaScript plus its source map (JSON text). */
export type Lower = (source: string, fileName: string) => { code: string; map: string | undefined; error?: string; resumePoints?: ResumePoint[] };

/**
 * Start (1-based line and column in the lowered code) of a resume function and the yield it
 * continues from, or of lowering plumbing (a frame's own `next`) that stacks leave out: null.
 */
export interface ResumePoint {
  line: number;
  column: number;
  yieldAt: OriginalPosition | null;
}

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

const TS_EXT = /\.(ts|tsx|mts|cts)$/i;

export class ComptimeLoader {
  /** Lowered-code source maps per evaluated file name, for diagnostics. */
  private maps = new Map<string, PositionMap>();
  /** A file that failed to lower: reported instead of "cannot load". */
  failures: string[] = [];

  constructor(
    private readonly ts: typeof TS,
    private readonly lower: Lower,
  ) {}

  addMap(fileName: string, map: string | undefined, resumePoints?: ResumePoint[]): void {
    if (!map) return;
    try {
      this.maps.set(fileName, positionMapFromSourceMap(fileName, JSON.parse(map) as RawSourceMap, { resumePoints }));
    } catch {
      /* a map we cannot read only costs positions in notes */
    }
  }

  positionMap(): PositionMap {
    return {
      original: (file, line, column): OriginalPosition | undefined => {
        const r = this.maps.get(file)?.original?.(file, line, column);
        return r ? { fileName: file, line: r.line, column: r.column } : undefined;
      },
      resumePoint: (file, line, column) => this.maps.get(file)?.resumePoint?.(file, line, column),
      hideFrames: (file) => path.resolve(file).startsWith(runtimeDir + path.sep),
    };
  }

  private resolveFile(specifier: string, importer: string): string | undefined {
    const ts = this.ts;
    if (specifier === 'corosplit/runtime') return path.join(runtimeDir, 'index.js');
    if (specifier === 'corosplit/comptime') return path.join(runtimeDir, 'comptime.js');
    const importerAbs = path.resolve(importer);
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
      const base = path.resolve(path.dirname(importerAbs), specifier);
      if (importerAbs.startsWith(runtimeDir + path.sep) && fs.existsSync(base)) return base;
    }
    const r = ts.resolveModuleName(
      specifier,
      importerAbs,
      { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, allowJs: true, noDtsResolution: false },
      ts.sys,
    ).resolvedModule;
    if (!r) return undefined;
    let file = r.resolvedFileName;
    if (/\.d\.[mc]?ts$/i.test(file)) {
      const js = file.replace(/\.d\.([mc]?)ts$/i, '.$1js');
      if (!fs.existsSync(js)) return undefined;
      file = js;
    }
    return file;
  }

  load = (specifier: string, importer: string): LoadedModule | undefined => {
    const file = this.resolveFile(specifier, importer);
    if (!file) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const fileName = displayPath(file);
    if (TS_EXT.test(file) && !/\.d\.[mc]?ts$/i.test(file)) {
      const out = this.lower(text, fileName);
      if (out.error !== undefined) {
        this.failures.push(out.error);
        return undefined;
      }
      this.addMap(fileName, out.map, out.resumePoints);
      return { fileName, code: out.code };
    }
    return { fileName, code: text.replace(/\n?\/\/# sourceMappingURL=.*$/, '') };
  };
}
