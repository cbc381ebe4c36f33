// Whether Node runs a file as an ES module or as CommonJS: by its extension, else by the "type" of
// the nearest package.json (as Node and TypeScript's NodeNext decide). The build command and the
// Node loader both emit each file in the format it will run in.
import fs from 'node:fs';
import path from 'node:path';

const packageTypes = new Map<string, string | undefined>();

/** The "type" of the nearest package.json above `dir` ("commonjs" when it has none), or undefined when there is none. */
function packageType(dir: string): string | undefined {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  const pj = path.join(dir, 'package.json');
  let type: string | undefined;
  if (fs.existsSync(pj)) {
    try {
      type = (JSON.parse(fs.readFileSync(pj, 'utf8')) as { type?: string }).type ?? 'commonjs';
    } catch {
      type = 'commonjs';
    }
  } else if (path.dirname(dir) !== dir) type = packageType(path.dirname(dir));
  packageTypes.set(dir, type);
  return type;
}

export function moduleFormatOf(file: string): 'module' | 'commonjs' {
  if (/\.m[jt]sx?$/.test(file)) return 'module';
  if (/\.c[jt]sx?$/.test(file)) return 'commonjs';
  return packageType(path.dirname(file)) === 'module' ? 'module' : 'commonjs';
}
