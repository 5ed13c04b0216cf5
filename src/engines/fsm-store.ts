// `fsm.db/`: the state machine's store on the node's disk, beside the engine's files and owned
// by neither engine (elastickv keeps a Pebble store there). raftlab keeps one file in it,
// `fsm.db/state.bin`, replaced atomically: the key-value store's serialised state and the index
// (and term) of the last entry applied to it. The offline migration reads it to seed the etcd
// engine's first snapshot, so it must be complete and checked: a CRC-32C covers every byte.
//
//   offset  size  field (big-endian)
//   0       4     magic "RLFM"
//   4       4     u32 version = 1
//   8       8     u64 applied index
//   16      8     u64 applied term
//   24      4     u32 state length (at most fsmStateBytesMax), then the state bytes
//   end-4   4     u32 CRC-32C of every byte before it
import { ByteReader } from '../storage/codec/byte-reader';
import { ByteWriter } from '../storage/codec/byte-writer';
import { crc32c } from '../storage/codec/crc32c';
import { decodeWith, type DecodeError, type DecodeResult } from '../storage/codec/decode-error';
import { ensureDirDurable, writeFileAtomic } from '../storage/fs/atomic-write';
import { FsError, readFileIfExists, type FileSystem } from '../storage/fs/file-system';
import { joinPath } from '../storage/fs/path';
import { failure, success, type Result } from '../storage/result';
import { describeFsError } from '../storage/datadir/fs-error-text';
import { decodeKvSnapshot } from './kv-state-machine';

export const fsmStoreDirName = 'fsm.db';
export const fsmStateFileName = 'state.bin';
export const fsmStoreVersion = 1;
/** The largest serialised state the store accepts (checked before reading it). */
export const fsmStateBytesMax = 256 * 1024 * 1024;

const magic = new TextEncoder().encode('RLFM');

export interface FsmState {
  appliedIndex: number;
  appliedTerm: number;
  /** KvStateMachine.serialize() bytes. */
  data: Uint8Array;
}

export function encodeFsmState(state: FsmState): Uint8Array {
  if (state.data.length > fsmStateBytesMax) throw new RangeError(`fsm state of ${state.data.length} bytes exceeds ${fsmStateBytesMax}`);
  const writer = new ByteWriter(32 + state.data.length);
  writer.raw(magic).u32(fsmStoreVersion).u64(state.appliedIndex).u64(state.appliedTerm).lengthPrefixedBytes(state.data);
  const body = writer.written();
  writer.u32(crc32c(body));
  return writer.finish();
}

export function decodeFsmState(bytes: Uint8Array): DecodeResult<FsmState> {
  return decodeWith(() => {
    const reader = new ByteReader(bytes);
    const head = reader.bytesOf(4, 'fsm store magic');
    if (!head.every((byte, i) => byte === magic[i])) reader.fail('invalid', 0, 'invalid fsm store magic');
    const version = reader.u32('fsm store version');
    if (version !== fsmStoreVersion) reader.fail('invalid', 4, `unsupported fsm store version ${version}`);
    const appliedIndex = reader.u64Number('fsm applied index');
    const appliedTerm = reader.u64Number('fsm applied term');
    const data = reader.lengthPrefixedBytes('fsm state', fsmStateBytesMax);
    const end = reader.offset;
    const stored = reader.u32('fsm store checksum');
    reader.expectEnd('fsm store');
    if (crc32c(bytes.subarray(0, end)) !== stored) reader.fail('checksum', end, 'fsm store checksum mismatch');
    // Assert the data after reading it: it must be a state machine snapshot.
    const state = decodeKvSnapshot(data);
    if (!state.ok) reader.fail('invalid', 28, `fsm state: ${state.error.message}`);
    return { appliedIndex, appliedTerm, data: data.slice() };
  });
}

export function fsmStatePath(fsmStoreDir: string): string {
  return joinPath(fsmStoreDir, fsmStateFileName);
}

/** Writes the store atomically (temp file, fsync, rename, folder fsync); the folder is created durably. */
export async function saveFsmStore(fs: FileSystem, fsmStoreDir: string, state: FsmState, tempId: number): Promise<void> {
  const bytes = encodeFsmState(state);
  const check = decodeFsmState(bytes);
  if (!check.ok || check.value.appliedIndex !== state.appliedIndex) throw new Error('fsm store does not round-trip');
  await ensureDirDurable(fs, fsmStoreDir);
  await writeFileAtomic(fs, fsmStatePath(fsmStoreDir), bytes, tempId);
}

export type FsmStoreLoadError =
  | { kind: 'missing'; message: string }
  | { kind: 'corrupt'; message: string; error: DecodeError }
  | { kind: 'unreadable'; message: string; error: FsError };

/**
 * Reads the store; a missing folder or file, a damaged file, or a path the file system cannot
 * read (a part of it is a regular file, a folder where the state file should be, ...) is an
 * error that says which.
 */
export async function loadFsmStore(
  fs: FileSystem,
  fsmStoreDir: string,
  shown = fsmStoreDir,
  show: (path: string) => string = (path) => path,
): Promise<Result<FsmState, FsmStoreLoadError>> {
  try {
    return await loadFsmStoreFiles(fs, fsmStoreDir, shown);
  } catch (error) {
    if (!(error instanceof FsError)) throw error;
    return failure({ kind: 'unreadable', message: `fsm store ${shown} cannot be read: ${describeFsError(error, show)}`, error });
  }
}

async function loadFsmStoreFiles(fs: FileSystem, fsmStoreDir: string, shown: string): Promise<Result<FsmState, FsmStoreLoadError>> {
  if (!(await fs.exists(fsmStoreDir))) return failure({ kind: 'missing', message: `fsm store ${shown} does not exist` });
  const bytes = await readFileIfExists(fs, fsmStatePath(fsmStoreDir));
  if (bytes === null) return failure({ kind: 'missing', message: `fsm store ${shown} has no ${fsmStateFileName}` });
  const decoded = decodeFsmState(bytes);
  if (!decoded.ok) return failure({ kind: 'corrupt', message: `fsm store ${shown}: ${decoded.error.message}`, error: decoded.error });
  return success(decoded.value);
}
