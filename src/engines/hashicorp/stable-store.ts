// The stable store in `raft.db/` (hashicorp/raft's StableStore): the keys CurrentTerm,
// LastVoteTerm and LastVoteCand, kept together in one small file replaced atomically (temp file,
// fsync, rename, folder fsync), so a crash leaves the old values or the new ones.
//
// File `raft.db/stable.bin` (big-endian): magic "RLHS", u32 version = 1, u64 CurrentTerm,
// u64 LastVoteTerm, u64 LastVoteCand, u32 CRC-32C of everything before it. Exactly 36 bytes.
import { ByteReader } from '../../storage/codec/byte-reader';
import { ByteWriter } from '../../storage/codec/byte-writer';
import { crc32c } from '../../storage/codec/crc32c';
import { decodeWith, type DecodeResult } from '../../storage/codec/decode-error';
import { encodeUtf8 } from '../../storage/codec/utf8';
import { writeFileAtomic } from '../../storage/fs/atomic-write';
import { readFileIfExists, type FileSystem } from '../../storage/fs/file-system';
import { failure, success, type Result } from '../../storage/result';
import type { StableState } from './types';

export const stableFileName = 'stable.bin';
export const stableFileVersion = 1;
export const stableFileBytes = 36;
const magic = encodeUtf8('RLHS');

export const emptyStableState: Readonly<StableState> = Object.freeze({ currentTerm: 0, lastVoteTerm: 0, lastVoteCand: 0 });

export function encodeStableState(state: StableState): Uint8Array {
  const writer = new ByteWriter(stableFileBytes);
  writer.raw(magic).u32(stableFileVersion).u64(state.currentTerm).u64(state.lastVoteTerm).u64(state.lastVoteCand);
  writer.u32(crc32c(writer.written()));
  return writer.finish();
}

export function decodeStableState(bytes: Uint8Array): DecodeResult<StableState> {
  return decodeWith(() => {
    const reader = new ByteReader(bytes);
    if (bytes.length > stableFileBytes) reader.fail('too-large', 0, `stable file of ${bytes.length} bytes, expected ${stableFileBytes}`);
    const head = reader.bytesOf(4, 'stable magic');
    if (!head.every((byte, i) => byte === magic[i])) reader.fail('invalid', 0, 'invalid stable file magic');
    const version = reader.u32('stable version');
    if (version !== stableFileVersion) reader.fail('invalid', 4, `unsupported stable file version ${version}`);
    const currentTerm = reader.u64Number('CurrentTerm');
    const lastVoteTerm = reader.u64Number('LastVoteTerm');
    const lastVoteCand = reader.u64Number('LastVoteCand');
    const checksum = reader.u32('stable checksum');
    if (crc32c(bytes.subarray(0, stableFileBytes - 4)) !== checksum) reader.fail('checksum', stableFileBytes - 4, 'stable file checksum mismatch');
    reader.expectEnd('stable file');
    return { currentTerm, lastVoteTerm, lastVoteCand };
  });
}

export class StableStore {
  private constructor(
    private readonly fs: FileSystem,
    private readonly path: string,
    private readonly nextTempId: () => number,
    private current: StableState,
  ) {}

  /** Loads the stored values (all zero when the file does not exist yet). */
  static async open(fs: FileSystem, path: string, nextTempId: () => number): Promise<Result<StableStore, string>> {
    const bytes = await readFileIfExists(fs, path);
    if (bytes === null) return success(new StableStore(fs, path, nextTempId, { ...emptyStableState }));
    const decoded = decodeStableState(bytes);
    if (!decoded.ok) return failure(`${path}: ${decoded.error.message}`);
    return success(new StableStore(fs, path, nextTempId, decoded.value));
  }

  get state(): StableState {
    return { ...this.current };
  }

  async save(state: StableState): Promise<void> {
    const bytes = encodeStableState(state);
    const check = decodeStableState(bytes);
    if (!check.ok) throw new Error(`stable state does not round-trip: ${check.error.message}`);
    await writeFileAtomic(this.fs, this.path, bytes, this.nextTempId());
    this.current = { ...state };
  }
}
