// The protocol carries the HashiCorp-style engine's RPCs: every RPC shape round-trips through
// structured clone, broken ones are typed ProtocolErrors, and a node process hosts the engine
// its init names, refusing the other engine's messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initFor } from '../engines/etcd/test-support';
import { LogType, Suffrage, type RpcMessage } from '../engines/hashicorp/types';
import { MessageType, makeMessage } from '../raft/types';
import { MemoryBackend } from '../storage/fs/memory-backend';
import { NodeRuntime } from './node-runtime';
import { decodeWorkerRequest, decodeWorkerResponse, protocolVersion, type WireBatch, type WorkerRequest } from './protocol';
import { rpcMessageValidator } from './rpc-validate';
import { ProtocolError } from './validate';

const header = { from: 1, to: 2, rpcId: 7 };
const rpcs: RpcMessage[] = [
  {
    type: 'AppendEntriesRequest',
    ...header,
    term: 3,
    leader: 1,
    prevLogEntry: 4,
    prevLogTerm: 2,
    entries: [{ index: 5, term: 3, type: LogType.Command, data: new Uint8Array([1, 2]) }],
    leaderCommitIndex: 4,
  },
  { type: 'AppendEntriesResponse', ...header, term: 3, lastLog: 5, success: true, noRetryBackoff: false },
  { type: 'RequestVoteRequest', ...header, term: 4, candidate: 1, lastLogIndex: 5, lastLogTerm: 3, leadershipTransfer: false },
  { type: 'RequestVoteResponse', ...header, term: 4, granted: true },
  {
    type: 'InstallSnapshotRequest',
    ...header,
    term: 4,
    leader: 1,
    lastLogIndex: 9,
    lastLogTerm: 4,
    configuration: { servers: [{ suffrage: Suffrage.Voter, id: 1, address: 'node-1:7000' }] },
    configurationIndex: 1,
    size: 1,
    data: new Uint8Array([9]),
  },
  { type: 'InstallSnapshotResponse', ...header, term: 4, success: false },
  { type: 'TimeoutNowRequest', ...header },
  { type: 'TimeoutNowResponse', ...header },
];

function batch(messages: WireBatch['messages']): WireBatch {
  return { commands: [], messages, requests: [], admin: [], ticks: 0 };
}

describe('hashicorp RPCs in the worker protocol', () => {
  it('round-trip every RPC shape, in a batch and alone', () => {
    const request: WorkerRequest = { protocolVersion, kind: 'batch', sequence: 1, batch: batch(rpcs) };
    expect(decodeWorkerRequest(structuredClone(request))).toEqual({ ok: true, value: request });
    for (const rpc of rpcs) expect(rpcMessageValidator(structuredClone(rpc), 'rpc')).toEqual(rpc);
  });

  it('refuses an RPC with a field missing, added, or of the wrong kind', () => {
    fc.assert(
      fc.property(fc.nat(rpcs.length - 1), fc.nat(20), fc.oneof(fc.constant(-1), fc.constant('x'), fc.constant(null), fc.constant(1.5)), (which, at, replacement) => {
        const rpc = structuredClone(rpcs[which]) as unknown as Record<string, unknown>;
        const keys = Object.keys(rpc);
        rpc[keys[at % keys.length]] = replacement;
        expect(() => rpcMessageValidator(rpc, 'rpc')).toThrow(ProtocolError);
      }),
      { numRuns: 500 },
    );
    expect(() => rpcMessageValidator({ ...rpcs[6], extra: 1 }, 'rpc')).toThrow('rpc.extra: unexpected field');
    expect(() => rpcMessageValidator({ ...rpcs[0], entries: [{ index: 1, term: 1, type: 3, data: new Uint8Array() }] }, 'rpc')).toThrow(
      'unknown log type 3',
    );
  });

  it('a process initialised for hashicorp runs its host and refuses etcd messages', async () => {
    const runtime = new NodeRuntime(async () => new MemoryBackend());
    const init = initFor(1, [1]);
    expect(await runtime.handle({ protocolVersion, kind: 'init', init, disk: { kind: 'memory' }, engine: 'hashicorp' })).toMatchObject({
      kind: 'initialized',
    });
    const boot = await runtime.handle({ protocolVersion, kind: 'batch', sequence: 0, batch: { ...batch([]), commands: [{ kind: 'restart', seed: 1 }], ticks: 200 } });
    const decoded = decodeWorkerResponse(boot);
    expect(decoded.ok).toBe(true);
    // A one-voter HashiCorp cluster elects itself; its log starts with BootstrapCluster's entry.
    expect(boot).toMatchObject({ kind: 'batchResult', result: { status: { role: 'StateLeader' } } });
    const etcdMessage = makeMessage({ type: MessageType.MsgHeartbeat, from: 2, to: 1, term: 9 });
    expect(await runtime.handle({ protocolVersion, kind: 'batch', sequence: 1, batch: batch([etcdMessage]) })).toMatchObject({
      kind: 'error',
      code: 'malformed',
      message: "a hashicorp node was sent another engine's message",
    });
    expect(decodeWorkerRequest({ protocolVersion, kind: 'init', init, disk: { kind: 'memory' }, engine: 'zab' }).ok).toBe(false);
  });
});
