// `raftlab peers decode FILE` and `raftlab peers encode --index N --peer id=address ... --out FILE`:
// elastickv's etcd-raft-peers.bin from the command line. Decoding reads the file field by field
// through a file handle, so memory stays bounded (one field's limit) whatever the file claims.
import { open } from 'node:fs/promises';
import { dirname, basename, resolve } from 'node:path';
import { ByteReader } from '../storage/codec/byte-reader';
import { DecodeError } from '../storage/codec/decode-error';
import { writeFileAtomic } from '../storage/fs/atomic-write';
import { NodeFsBackend } from '../storage/fs/node-fs-backend';
import { deriveNodeId } from '../storage/peers/node-id';
import {
  encodePeersFile,
  peersFileDecoder,
  peersToJson,
  trailingBytesError,
  type PersistedPeers,
} from '../storage/peers/peers-file';
import type { CommandOutput } from './main';
import { cannotWrite } from './output-file';

export const usage = `usage: raftlab peers decode FILE
       raftlab peers encode --index N --peer id=address [--peer id=address ...] --out FILE
`;

export async function runPeersCommand(args: string[], io: CommandOutput): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'decode' && rest.length === 1) return decodeCommand(rest[0], io);
  if (sub === 'encode') return encodeCommand(rest, io);
  io.err(usage);
  return 2;
}

async function decodeCommand(file: string, io: CommandOutput): Promise<number> {
  try {
    io.out(`${peersToJson(await decodePeersFileAt(file))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DecodeError) {
      io.err(`raftlab peers decode: ${file}: ${error.message}\n`);
      return 1;
    }
    if (isSystemError(error)) {
      io.err(`raftlab peers decode: ${file}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Drives the peers decoder over a file handle; throws DecodeError for a malformed file. */
export async function decodePeersFileAt(file: string): Promise<PersistedPeers> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const decoder = peersFileDecoder();
    let offset = 0;
    let step = decoder.next();
    while (!step.done) {
      const { length, what } = step.value;
      const remaining = size - offset;
      if (length > remaining) throw new DecodeError('truncated', offset, `${what} needs ${length} bytes but ${remaining} remain`);
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead !== length) throw new DecodeError('truncated', offset, `${what}: the file changed while being read`);
      step = decoder.next(new ByteReader(buffer, offset));
      offset += length;
    }
    if (offset < size) throw trailingBytesError(size - offset, offset);
    return step.value;
  } finally {
    await handle.close();
  }
}

interface EncodeOptions {
  index: bigint;
  peers: { id: string; address: string }[];
  out: string;
}

function parseEncodeOptions(args: string[]): EncodeOptions | string {
  let index: bigint | null = null;
  let out: string | null = null;
  const peers: { id: string; address: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (!['--index', '--peer', '--out'].includes(args[i])) return `unknown argument "${args[i]}"`;
    if (value === undefined) return `${args[i]} needs a value`;
    i++;
    if (args[i - 1] === '--index') {
      if (!/^[0-9]+$/.test(value) || BigInt(value) > 0xffffffffffffffffn) return `--index must be a u64, got "${value}"`;
      index = BigInt(value);
    } else if (args[i - 1] === '--out') {
      out = value;
    } else {
      const equals = value.indexOf('=');
      const id = equals < 0 ? '' : value.slice(0, equals).trim();
      const address = equals < 0 ? '' : value.slice(equals + 1).trim();
      if (id === '' || address === '') return `--peer must be id=address, got "${value}"`;
      if (peers.some((peer) => peer.id === id)) return `--peer id "${id}" is given twice ("${value}")`;
      peers.push({ id, address });
    }
  }
  if (index === null) return '--index is required';
  if (out === null) return '--out is required';
  return { index, peers, out };
}

async function encodeCommand(args: string[], io: CommandOutput): Promise<number> {
  const options = parseEncodeOptions(args);
  if (typeof options === 'string') {
    io.err(`raftlab peers encode: ${options}\n${usage}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = encodePeersFile({
      index: options.index,
      peers: options.peers.map((peer) => ({ nodeId: deriveNodeId(peer.id), ...peer })),
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    io.err(`raftlab peers encode: ${error.message}\n`);
    return 1;
  }
  const target = resolve(options.out);
  try {
    await writeFileAtomic(new NodeFsBackend(dirname(target)), basename(target), bytes, process.pid);
  } catch (error) {
    if (!isSystemError(error)) throw error;
    io.err(`raftlab peers encode: ${cannotWrite(options.out, error)}\n`);
    return 2;
  }
  io.out(`wrote ${options.peers.length} peers at index ${options.index} to ${options.out}\n`);
  return 0;
}

function isSystemError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error;
}
