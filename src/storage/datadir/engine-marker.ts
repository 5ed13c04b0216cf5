// The `raft-engine` marker file: `etcd\n` or `hashicorp\n`. Read as elastickv reads it: trimmed and
// lower-cased, where empty or blank content means hashicorp (the engine that predates the marker).
import { goQuote } from '../../raft/go-quote';
import { encodeUtf8 } from '../codec/utf8';

export type RaftEngineType = 'etcd' | 'hashicorp';
export const raftEngineTypes: readonly RaftEngineType[] = ['etcd', 'hashicorp'];
export const raftEngineMarkerFile = 'raft-engine';
/** A marker is a word; anything longer is not a marker, and is not read whole. */
export const raftEngineMarkerBytesMax = 4096;

/** elastickv's parseRaftEngineType; null for an unsupported engine name. */
export function parseRaftEngineType(raw: string): RaftEngineType | null {
  const name = raw.trim().toLowerCase();
  if (name === '' || name === 'hashicorp') return 'hashicorp';
  if (name === 'etcd') return 'etcd';
  return null;
}

export function encodeEngineMarker(engine: RaftEngineType): Uint8Array {
  return encodeUtf8(`${engine}\n`);
}

export type MarkerDecode = { ok: true; engine: RaftEngineType } | { ok: false; quotedContent: string };

/** Decodes marker bytes; on failure gives the trimmed content as Go's %q prints it. */
export function decodeEngineMarker(bytes: Uint8Array): MarkerDecode {
  if (bytes.length > raftEngineMarkerBytesMax) {
    return { ok: false, quotedContent: `${goQuote(bytes.subarray(0, 32))}... (${bytes.length} bytes)` };
  }
  const text = new TextDecoder('utf-8').decode(bytes);
  const engine = parseRaftEngineType(text);
  if (engine !== null) return { ok: true, engine };
  return { ok: false, quotedContent: goQuote(encodeUtf8(text.trim())) };
}
