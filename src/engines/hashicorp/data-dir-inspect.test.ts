// `datadir inspect`'s reading of a HashiCorp node's data dir, through the stores' own decoders.
import { describe, expect, it } from 'vitest';
import { inspectDataDir } from '../../storage/datadir/inspect';
import { MemoryBackend } from '../../storage/fs/memory-backend';
import { saveFsmStore } from '../fsm-store';
import { KvStateMachine } from '../kv-state-machine';
import { HashicorpDataDir } from './data-dir';
import { describeHashicorpFile } from './data-dir-inspect';
import { LogType, Suffrage } from './types';

async function hashicorpNode() {
  const fs = new MemoryBackend();
  await fs.mkdir('n1');
  const opened = await HashicorpDataDir.open(fs, { dataDir: 'n1' });
  if (!opened.ok) throw new Error(opened.error);
  const dataDir = opened.value;
  await dataDir.write({ kind: 'stable', state: { currentTerm: 3, lastVoteTerm: 3, lastVoteCand: 2 } });
  const entries = [1, 2, 3, 4].map((index) => ({ index, term: index < 3 ? 1 : 3, type: LogType.Command, data: new Uint8Array([index]) }));
  await dataDir.write({ kind: 'appendLogs', entries });
  const configuration = { servers: [1, 2, 3].map((id) => ({ suffrage: Suffrage.Voter, id, address: `h${id}:7000` })) };
  const data = new Uint8Array([9, 9, 9]);
  await dataDir.write({ kind: 'saveSnapshot', meta: { index: 2, term: 1, configuration, configurationIndex: 1, size: data.length }, data });
  await saveFsmStore(fs, 'n1/fsm.db', { appliedIndex: 4, appliedTerm: 3, data: new KvStateMachine().serialize() }, 1);
  return fs;
}

describe('datadir inspect on a HashiCorp data dir', () => {
  it('shows term and vote, the log range, each snapshot with its metadata, fsm.db and the marker', async () => {
    const fs = await hashicorpNode();
    const { lines, problems } = await inspectDataDir(fs, 'n1', { describers: [describeHashicorpFile] });
    expect(problems).toEqual([]);
    const text = lines.join('\n');
    expect(text).toMatch(/raft-engine \(10 bytes\): raft engine marker: hashicorp/);
    expect(text).toMatch(/ {2}stable\.bin \(36 bytes\): stable store: CurrentTerm=3 LastVoteTerm=3 LastVoteCand=2/);
    expect(text).toMatch(/ {2}logs\.bin \(\d+ bytes\): log store, 1 records: entries 1 to 4/);
    expect(text).toMatch(/ {4}meta\.json \(\d+ bytes\): snapshot metadata: term=1 index=2 configuration index=1 servers \[1=h1:7000 2=h2:7000 3=h3:7000\] size=3/);
    expect(text).toMatch(/ {4}state\.bin \(3 bytes\): snapshot state, 3 bytes, checksum ok/);
    expect(text).toMatch(/ {2}state\.bin \(\d+ bytes\): fsm store: applied index=4 term=3/);
    expect(text).not.toMatch(/not a file/);
  });

  it('reports damaged stores as problems naming the file and byte offset', async () => {
    const fs = await hashicorpNode();
    const stable = await fs.readFile('n1/raft.db/stable.bin');
    stable[10] ^= 0xff;
    await fs.writeFile('n1/raft.db/stable.bin', stable);
    const [snapshot] = await fs.list('n1/snapshots');
    await fs.writeFile(`n1/snapshots/${snapshot}/state.bin`, new Uint8Array([9, 9, 8]));
    const { problems } = await inspectDataDir(fs, 'n1', { describers: [describeHashicorpFile] });
    expect(problems).toEqual([
      'raft.db/stable.bin: stable store, corrupt: stable file checksum mismatch at byte offset 32',
      `snapshots/${snapshot}/state.bin: snapshot state, corrupt: checksum mismatch with its metadata`,
    ]);
  });
});
