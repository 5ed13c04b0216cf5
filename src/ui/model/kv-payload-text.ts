// Entry payloads as a person reads them: the key-value workload's proposals (src/sim/workload/
// kv-codec.ts) decoded to `put k1=v3 (r12)`, `get k1 (r7)`, `cas k1 nil→v3 (r9)`, a ReadIndex
// context to `read-index (r4)`, and anything else in Go's %q, as etcd prints it. The event log
// passes kvEntryFormatter to etcd's describeMessage; the log cells read each entry's bytes back
// from the simulator's escaped dataText.
import { goQuote } from '../../raft/go-quote';
import {
  decodeProposal,
  decodeReadIndexContext,
  type KvCommand,
} from '../../sim/workload/kv-codec';

export function commandText(command: KvCommand): string {
  switch (command.f) {
    case 'get':
      return `get ${command.key}`;
    case 'put':
      return `put ${command.key}=${command.value}`;
    case 'cas':
      return `cas ${command.key} ${command.from ?? 'nil'}→${command.to}`;
  }
}

/** An EntryFormatter for describeMessage: the payload decoded, or %q when it is not the workload's. */
export function kvEntryFormatter(data: Uint8Array): string {
  if (data.length === 0) return goQuote(data);
  const proposal = decodeProposal(data);
  if (proposal.ok) return `${commandText(proposal.value.command)} (r${proposal.value.requestId})`;
  const context = decodeReadIndexContext(data);
  if (context.ok) return `read-index (r${context.value})`;
  return goQuote(data);
}

/** Characters of an escaped dataText read back at most (entries are small; this bounds a bad one). */
export const dataTextCharsMax = 64 * 1024;

/**
 * The bytes behind the simulator's dataText (printable ASCII as is, every other byte and the
 * backslash as \xNN); null when the text is not in that form.
 */
export function bytesOfDataText(text: string): Uint8Array | null {
  if (text.length > dataTextCharsMax) return null;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x5c) {
      if (code < 0x20 || code >= 0x7f) return null;
      bytes.push(code);
      continue;
    }
    const hex = text.slice(i + 2, i + 4);
    if (text[i + 1] !== 'x' || !/^[0-9a-f]{2}$/.test(hex)) return null;
    bytes.push(parseInt(hex, 16));
    i += 3;
  }
  return Uint8Array.from(bytes);
}

/** A log cell's payload: the decoded command, or the simulator's own reading of the entry. */
export function entryPayloadText(entry: { type: string; dataText: string; text: string }): string {
  if (entry.type !== 'normal') return entry.text;
  if (entry.dataText === '') return 'empty';
  const bytes = bytesOfDataText(entry.dataText);
  return bytes === null ? entry.text : kvEntryFormatter(bytes);
}
