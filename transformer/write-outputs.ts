// Writes a build's outputs so that a reader never sees half of one: every file goes to a temporary
// name beside its target first, and a JavaScript file and its source map are renamed into place
// together, or neither is.
import fs from 'node:fs';
import path from 'node:path';

/** Paths this process wrote last, so a watcher can tell its own writes from the user's edits. */
export const recentlyWritten = new Set<string>();

function ioReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const reasons: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a directory', EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a parent is not a directory', ENOSPC: 'no space left on the device' };
  return (code && reasons[code]) ?? code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Adds a lowered file to a build's outputs: its JavaScript at `target` and, with a map, the map
 * beside it (named for the output, its source relative to it) and the comment that finds it.
 */
export function addOutput(files: Map<string, string>, target: string, code: string, map: string | undefined, source: string): void {
  code = code.replace(/\n*$/, '\n');
  if (map) {
    const m = JSON.parse(map);
    m.file = path.basename(target);
    m.sources = [path.relative(path.dirname(target), source).split(path.sep).join('/')];
    files.set(`${target}.map`, JSON.stringify(m));
    code += `//# sourceMappingURL=${path.basename(target)}.map\n`;
  }
  files.set(target, code);
}

/** Writes `files` (path → text); returns how many could not be written (each reported on stderr). */
export function writeOutputs(files: ReadonlyMap<string, string>): number {
  // A map belongs to the output it names: group them so the pair lands as one unit.
  const groups = new Map<string, string[]>();
  for (const name of files.keys()) {
    const owner = name.endsWith('.map') && files.has(name.slice(0, -4)) ? name.slice(0, -4) : name;
    groups.set(owner, [...(groups.get(owner) ?? []), name]);
  }
  recentlyWritten.clear();
  let failed = 0;
  for (const [owner, names] of groups) {
    const temps: [string, string][] = [];
    try {
      for (const name of names) {
        fs.mkdirSync(path.dirname(name), { recursive: true });
        if (fs.existsSync(name) && fs.statSync(name).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR', path: name });
        const tmp = `${name}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, files.get(name)!);
        temps.push([tmp, name]);
      }
      // The map first: a reader that finds the new .js also finds its map.
      temps.sort((x, y) => Number(y[1].endsWith('.map')) - Number(x[1].endsWith('.map')));
      for (const [tmp, name] of temps) {
        fs.renameSync(tmp, name);
        recentlyWritten.add(path.resolve(name));
      }
    } catch (e) {
      for (const [tmp] of temps) fs.rmSync(tmp, { force: true });
      process.stderr.write(`${(e as NodeJS.ErrnoException).path ?? owner}: error: cannot write output (${ioReason(e)})\n`);
      failed += names.length;
    }
  }
  return failed;
}
