import { describe, expect, it } from 'vitest';
import { describeMessage } from '../../raft/describe';
import { makeEntry, makeMessage, MessageType } from '../../raft/types';
import { dataText } from '../../sim/node-snapshot';
import { encodeProposal, encodeReadIndexContext } from '../../sim/workload/kv-codec';
import { AppRun } from './app-run';
import { bytesOfDataText, entryPayloadText, kvEntryFormatter } from './kv-payload-text';
import { etcdLogRows } from '../views/etcd-log-rows';

const put = encodeProposal({ requestId: 12, command: { f: 'put', key: 'k1', value: 'v3' } });
const cas = encodeProposal({
  requestId: 9,
  command: { f: 'cas', key: 'k1', from: null, to: 'v3' },
});
const get = encodeProposal({ requestId: 7, command: { f: 'get', key: 'k2' } });

describe('key-value payloads, decoded', () => {
  it('reads proposals, ReadIndex contexts, and falls back to %q', () => {
    expect(kvEntryFormatter(put)).toBe('put k1=v3 (r12)');
    expect(kvEntryFormatter(cas)).toBe('cas k1 nil→v3 (r9)');
    expect(kvEntryFormatter(get)).toBe('get k2 (r7)');
    expect(kvEntryFormatter(encodeReadIndexContext(4))).toBe('read-index (r4)');
    expect(kvEntryFormatter(new Uint8Array(0))).toBe('""');
    expect(kvEntryFormatter(Uint8Array.from([0x70, 0x0a]))).toBe('"p\\n"');
  });

  it("etcd's message text with the payloads decoded", () => {
    const message = makeMessage({
      type: MessageType.MsgApp,
      from: 1,
      to: 2,
      term: 2,
      logTerm: 2,
      index: 4,
      commit: 4,
      entries: [makeEntry({ term: 2, index: 5, data: put })],
    });
    expect(describeMessage(message, kvEntryFormatter)).toBe(
      '1->2 MsgApp Term:2 Log:2/4 Commit:4 Entries:[2/5 EntryNormal put k1=v3 (r12)]',
    );
  });

  it("reads the simulator's escaped dataText back to the bytes", () => {
    for (const data of [put, cas, get, Uint8Array.from([0x5c, 0x00, 0x7f, 0x41])])
      expect(bytesOfDataText(dataText(data))).toEqual(data);
    expect(bytesOfDataText('\\q1')).toBeNull();
    expect(
      entryPayloadText({ type: 'normal', dataText: dataText(put), text: 'r12 put k1 v3' }),
    ).toBe('put k1=v3 (r12)');
    expect(entryPayloadText({ type: 'normal', dataText: '', text: 'empty' })).toBe('empty');
    expect(entryPayloadText({ type: 'conf-change-v2', dataText: '\\x01', text: 'v4' })).toBe('v4');
  });

  it('a run shows decoded entries in the log cells and the event log', () => {
    const run = new AppRun({ seed: 2, nodeCount: 3, nemesis: [] });
    run.seek(3_000);
    const cells = run.nodeStates().flatMap((node) => node.log);
    expect(cells.some((cell) => /^(put|get|cas) k\d+.* \(r\d+\)$/.test(cell.text))).toBe(true);
    expect(cells.some((cell) => cell.text.includes('\\x'))).toBe(false);
    const rows = etcdLogRows(run.trace, {
      eventCount: run.eventCount,
      nodeId: null,
      type: 'MsgApp',
      rowsMax: 200,
    });
    expect(rows.some((row) => / EntryNormal (put|get|cas) k\d+/.test(row.text))).toBe(true);
    expect(rows.some((row) => row.text.includes('\\x01'))).toBe(false);
  });
});
