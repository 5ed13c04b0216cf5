// Encoded and payload sizes of log entries, counted exactly as etcd counts them. Flow control
// (MaxSizePerMsg, MaxCommittedSizePerReady, MaxUncommittedEntriesSize) compares these numbers,
// so an entry must weigh here what gogoproto's Entry.Size() says it weighs in etcd.
import type { Entry } from '../types';
import { varintSize } from './varint';

/** etcd's entryEncodingSize: the protocol-buffer encoded size of one or more entries. */
export type EntryEncodingSize = number;
/** etcd's entryPayloadSize: the size of entries' data alone, ignoring term, index and type. */
export type EntryPayloadSize = number;

/**
 * The gogoproto encoded size of a raftpb.Entry. Type, Term and Index are non-nullable fields and
 * are always written (one tag byte and a varint each, even when zero); Data is written only when
 * it is not nil, as a tag byte, a varint length and the bytes.
 */
export function entrySize(entry: Entry): EntryEncodingSize {
  let size = 1 + varintSize(entry.type);
  size += 1 + varintSize(entry.term);
  size += 1 + varintSize(entry.index);
  if (entry.data !== null) {
    const length = entry.data.length;
    size += 1 + length + varintSize(length);
  }
  return size;
}

/** The summed encoded size of the entries (etcd's entsSize). */
export function entsSize(entries: readonly Entry[]): EntryEncodingSize {
  let size = 0;
  for (const entry of entries) size += entrySize(entry);
  return size;
}

/** The size of an entry's payload: an entry with no data (an empty leader entry) weighs zero. */
export function payloadSize(entry: Entry): EntryPayloadSize {
  return entry.data === null ? 0 : entry.data.length;
}

/** The summed payload size of the entries (etcd's payloadsSize). */
export function payloadsSize(entries: readonly Entry[]): EntryPayloadSize {
  let size = 0;
  for (const entry of entries) size += payloadSize(entry);
  return size;
}
