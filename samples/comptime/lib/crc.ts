// The CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) lookup table.
function* entries(poly: number): Generator<number, void, unknown> {
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    yield c >>> 0;
  }
}

export function crcTable(poly = 0xedb88320): number[] {
  return [...entries(poly)];
}
