// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven, as used by etcd's WAL.
// `crc32cUpdate(crc, bytes)` continues a finished checksum the way Go's crc32.Update does, so
// crc32cUpdate(crc32c(a), b) === crc32c(a ++ b) and checksums can be chained record to record.

const castagnoliPolynomial = 0x82f63b78;

const table: Uint32Array = (() => {
  const result = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ castagnoliPolynomial : crc >>> 1;
    result[i] = crc >>> 0;
  }
  return result;
})();

/** Continues the finished checksum `crc` over `bytes`. */
export function crc32cUpdate(crc: number, bytes: Uint8Array): number {
  let state = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) state = table[(state ^ bytes[i]) & 0xff] ^ (state >>> 8);
  return ~state >>> 0;
}

/** The CRC-32C of `bytes`. */
export function crc32c(bytes: Uint8Array): number {
  return crc32cUpdate(0, bytes);
}
