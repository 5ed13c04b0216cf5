// Typed failures of the binary decoders: what was wrong and at which byte offset. Decoders return
// these as values (`DecodeResult`); only programmer errors throw.

export type DecodeErrorKind =
  /** The input ended before a field was complete. */
  | 'truncated'
  /** A length or count is larger than its named maximum. */
  | 'too-large'
  /** A magic number, version, type or value is not one this decoder accepts. */
  | 'invalid'
  /** A checksum does not match. */
  | 'checksum'
  /** Bytes follow the last field. */
  | 'trailing';

export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(
    readonly kind: DecodeErrorKind,
    /** Where the offending field starts, counted from the start of the decoded input. */
    readonly offset: number,
    /** What is wrong, without the offset (message adds it). */
    readonly detail: string,
  ) {
    super(`${detail} at byte offset ${offset}`);
  }
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

export function decoded<T>(value: T): DecodeResult<T> {
  return { ok: true, value };
}

/** Runs a decoding function, turning the DecodeError it throws into a result; other errors propagate. */
export function decodeWith<T>(decode: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, error };
    throw error;
  }
}
