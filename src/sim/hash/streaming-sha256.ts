// The transcript's SHA-256: the runtime's native one where there is a synchronous one (Node's
// crypto, also in worker_threads), else the plain TypeScript Sha256 (browsers and Workers, where
// SubtleCrypto only hashes whole buffers, asynchronously). Both compute the same function, so a
// seed's transcript hash is the same everywhere; the native one is about ten times faster, and at
// a thousand simulated seconds per second the transcript is ~100 MB/s to hash.
import { Sha256 } from './sha256';

export interface StreamingHash {
  /** Hashes bytes[start, end). */
  updateRange(bytes: Uint8Array, start: number, end: number): void;
  /** The digest as 64 lowercase hex digits; no updates after it. */
  digestHex(): string;
  /** An independent copy in the same state (Simulation.clone). */
  copy(): StreamingHash;
}

/** The two members of Node's crypto Hash used here. */
interface NativeHash {
  update(data: Uint8Array): unknown;
  digest(encoding: 'hex'): string;
  copy(): NativeHash;
}

type NativeHashFactory = () => NativeHash;

class NativeSha256 implements StreamingHash {
  constructor(private readonly hash: NativeHash) {}
  updateRange(bytes: Uint8Array, start: number, end: number): void {
    if (!(Number.isSafeInteger(start) && start >= 0 && start <= end && end <= bytes.length))
      throw new Error(`sha256: bad range [${start}, ${end}) of ${bytes.length} bytes`);
    if (end > start) this.hash.update(bytes.subarray(start, end));
  }
  digestHex(): string {
    return this.hash.digest('hex');
  }
  copy(): StreamingHash {
    return new NativeSha256(this.hash.copy());
  }
}

class PlainSha256 implements StreamingHash {
  constructor(private readonly hash = new Sha256()) {}
  updateRange(bytes: Uint8Array, start: number, end: number): void {
    this.hash.updateRange(bytes, start, end);
  }
  digestHex(): string {
    return this.hash.digestHex();
  }
  copy(): StreamingHash {
    return new PlainSha256(this.hash.copy());
  }
}

/** Node's synchronous SHA-256, if this runtime has one that agrees with ours on a test vector. */
function findNativeSha256(): NativeHashFactory | null {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  let crypto: { createHash?: (algorithm: string) => NativeHash } | undefined;
  try {
    crypto = host.process?.getBuiltinModule?.('node:crypto') as typeof crypto;
  } catch {
    return null;
  }
  const createHash = crypto?.createHash;
  if (typeof createHash !== 'function') return null;
  const factory = (): NativeHash => createHash.call(crypto, 'sha256');
  const probe = new Uint8Array([0x61, 0x62, 0x63]);
  const expected = new Sha256().update(probe).digestHex();
  try {
    const native = factory();
    native.update(probe);
    return native.digest('hex') === expected ? factory : null;
  } catch {
    return null;
  }
}

const nativeSha256 = findNativeSha256();

/** Which implementation createStreamingSha256 uses here (for benchmarks and tests). */
export const streamingSha256Kind: 'native' | 'plain' = nativeSha256 === null ? 'plain' : 'native';

/** A SHA-256 to feed incrementally: native where available (`plain` forces the TypeScript one). */
export function createStreamingSha256(options: { plain?: boolean } = {}): StreamingHash {
  if (nativeSha256 !== null && options.plain !== true) return new NativeSha256(nativeSha256());
  return new PlainSha256();
}
