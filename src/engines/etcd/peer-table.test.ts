import { describe, expect, it } from 'vitest';
import { ConfChangeTransition, ConfChangeType, type ConfChangeV2 } from '../../raft/types';
import { encodeConfChangeContext } from '../../storage/peers/context-codec';
import { PeerTable } from './peer-table';

const change = (type: ConfChangeType, nodeId: number, context: Uint8Array | null = null): ConfChangeV2 => ({
  transition: ConfChangeTransition.ConfChangeTransitionAuto,
  changes: [{ type, nodeId }],
  context,
});
const context = (nodeId: number, address: string) =>
  encodeConfChangeContext(9n, { nodeId: BigInt(nodeId), id: `n${nodeId}`, address });
const table = () => PeerTable.from({ index: 1n, peers: [{ nodeId: 1n, id: '1', address: 'a:1' }] });

describe("peer metadata on apply (elastickv's rules)", () => {
  it('adds a peer from a matching context, and a placeholder only for an unknown NodeID', () => {
    const peers = table();
    expect(peers.applyConfChange(2, change(ConfChangeType.ConfChangeAddNode, 2, context(2, 'b:2')))).toBe(true);
    expect(peers.get(2)).toEqual({ nodeId: 2n, id: 'n2', address: 'b:2' });
    // No context: the known address is kept.
    peers.applyConfChange(3, change(ConfChangeType.ConfChangeAddNode, 2));
    expect(peers.get(2)!.address).toBe('b:2');
    // No context, unknown NodeID: a placeholder with the decimal id and no address.
    peers.applyConfChange(4, change(ConfChangeType.ConfChangeAddNode, 5));
    expect(peers.get(5)).toEqual({ nodeId: 5n, id: '5', address: '' });
    expect(peers.index).toBe(4n);
  });

  it('ignores a context whose NodeID differs from the change (a batch shares one context)', () => {
    const peers = table();
    peers.applyConfChange(2, change(ConfChangeType.ConfChangeAddNode, 1, context(7, 'evil:1')));
    expect(peers.get(1)!.address).toBe('a:1');
    expect(peers.get(7)).toBeNull();
    const batch: ConfChangeV2 = {
      transition: ConfChangeTransition.ConfChangeTransitionJointImplicit,
      changes: [
        { type: ConfChangeType.ConfChangeAddNode, nodeId: 2 },
        { type: ConfChangeType.ConfChangeAddNode, nodeId: 3 },
      ],
      context: context(3, 'c:3'),
    };
    peers.applyConfChange(3, batch);
    expect(peers.get(2)).toEqual({ nodeId: 2n, id: '2', address: '' });
    expect(peers.get(3)).toEqual({ nodeId: 3n, id: 'n3', address: 'c:3' });
  });

  it('records learners, drops removed nodes, and never goes back to an older index', () => {
    const peers = table();
    peers.applyConfChange(2, change(ConfChangeType.ConfChangeAddLearnerNode, 4, context(4, 'd:4')));
    expect(peers.get(4)!.address).toBe('d:4');
    peers.applyConfChange(3, change(ConfChangeType.ConfChangeRemoveNode, 1));
    expect(peers.get(1)).toBeNull();
    expect(peers.applyConfChange(3, change(ConfChangeType.ConfChangeAddNode, 9))).toBe(false);
    expect(peers.applyConfChange(2, change(ConfChangeType.ConfChangeAddNode, 9))).toBe(false);
    expect(peers.get(9)).toBeNull();
    expect(peers.toPersisted()).toEqual({ index: 3n, peers: [{ nodeId: 4n, id: 'n4', address: 'd:4' }] });
  });
});
