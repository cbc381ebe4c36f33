// Persistent content-addressed cache of comptime results. An entry is keyed by the corosplit
// version, the limits and the module's own text; it records the content hash of every other file
// the evaluation read, and is used only while all of them are unchanged. Entries are written to a
// temporary file and renamed into place, so a reader never sees half an entry.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { distDir } from './loader.js';

export interface CacheEntry {
  dependencies: { file: string; hash: string }[];
  /** replacement expression per comptime() call, in source order */
  expressions: string[];
  logs: string[];
}

let version: string | undefined;
export function corosplitVersion(): string {
  if (version === undefined) {
    try {
      version = String(JSON.parse(fs.readFileSync(path.join(distDir, '..', 'package.json'), 'utf8')).version);
    } catch {
      version = 'unknown';
    }
  }
  return version;
}

export const sha256 = (text: string | Buffer): string => crypto.createHash('sha256').update(text).digest('hex');

export function fileHash(file: string): string | undefined {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

export function cacheKey(parts: { fileName: string; source: string; limits: unknown }): string {
  return sha256(JSON.stringify({ v: corosplitVersion(), f: parts.fileName, s: parts.source, l: parts.limits ?? null }));
}

export class ComptimeCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The entry for `key` when every recorded dependency still has its recorded content. */
  get(key: string): CacheEntry | undefined {
    let entry: CacheEntry;
    try {
      entry = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as CacheEntry;
    } catch {
      return undefined;
    }
    if (!entry || !Array.isArray(entry.dependencies) || !Array.isArray(entry.expressions)) return undefined;
    for (const d of entry.dependencies) if (fileHash(d.file) !== d.hash) return undefined;
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
    const target = this.file(key);
    const tmp = `${target}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(entry));
      fs.renameSync(tmp, target);
    } catch {
      // A cache that cannot be written only costs time.
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        /* ignore */
      }
    }
  }
}
