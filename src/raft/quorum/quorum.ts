// etcd's quorum package, shared definitions: the Index a quorum agrees on, the outcome of a vote,
// and the AckedIndexer through which a quorum reads what each voter has acknowledged.
import type { LogIndex, NodeId } from '../types';

/** A log index as a quorum sees it; `indexMax` stands for etcd's math.MaxUint64. */
export type Index = LogIndex;

/**
 * etcd's math.MaxUint64: what an empty majority "commits" so that it never holds back the other
 * half of a joint quorum. It is larger than every real index, survives min() and comparisons,
 * and, being no safe integer, fails loudly if it ever reaches an encoder.
 */
export const indexMax: Index = Number.POSITIVE_INFINITY;

/** Go's Index.String: "∞" for math.MaxUint64, the decimal number otherwise. */
export function indexString(index: Index): string {
  return index === indexMax ? '∞' : String(index);
}

/**
 * The acknowledged (durable, matching) index of each voter.
 * Returns undefined where etcd returns ok=false (nothing known about that voter); 0 is a real
 * acknowledgement, distinct from undefined.
 */
export interface AckedIndexer {
  ackedIndex(id: NodeId): Index | undefined;
}

/** An AckedIndexer over a plain map (etcd's mapAckIndexer in its tests). */
export function mapAckIndexer(acked: ReadonlyMap<NodeId, Index>): AckedIndexer {
  return { ackedIndex: (id) => acked.get(id) };
}

export enum VoteResult {
  /** Neither a quorum of yes nor a quorum of no has been reached yet. */
  VotePending = 1,
  /** A quorum has voted no. */
  VoteLost = 2,
  /** A quorum has voted yes. */
  VoteWon = 3,
}

const voteResultNames: Record<VoteResult, string> = {
  [VoteResult.VotePending]: 'VotePending',
  [VoteResult.VoteLost]: 'VoteLost',
  [VoteResult.VoteWon]: 'VoteWon',
};

/** Go's stringer output: the name, or "VoteResult(n)" for a value outside the enum. */
export function voteResultString(result: VoteResult): string {
  return voteResultNames[result] ?? `VoteResult(${result as number})`;
}
