// Decoding of source map v3 `mappings`: enough for the viewer to connect output and source lines.

/** One mapping: 0-based generated line/column to 0-based source line/column. */
export interface Mapping {
  genLine: number;
  genColumn: number;
  srcLine: number;
  srcColumn: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function decodeMappings(mappings: string): Mapping[] {
  const out: Mapping[] = [];
  let srcIndex = 0;
  let srcLine = 0;
  let srcColumn = 0;
  let nameIndex = 0;
  const lines = mappings.split(';');
  lines.forEach((line, genLine) => {
    let genColumn = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = BASE64.indexOf(ch);
        if (digit < 0) throw new Error(`invalid source map: bad base64 digit '${ch}'`);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genColumn += values[0];
      if (values.length >= 4) {
        srcIndex += values[1];
        srcLine += values[2];
        srcColumn += values[3];
        if (values.length >= 5) nameIndex += values[4];
        out.push({ genLine, genColumn, srcLine, srcColumn });
      }
    }
  });
  void srcIndex;
  void nameIndex;
  return out;
}
