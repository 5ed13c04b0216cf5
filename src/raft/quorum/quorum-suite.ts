// The `quorum` datadriven suite: etcd's quorum/datadriven_test.go. Commands:
//
//   committed cfg=(ids) [cfgj=(ids)|cfgj=zero] idx=(index|_, ...)   describe + committed index
//   vote      cfg=(ids) [cfgj=(ids)|cfgj=zero] votes=(y|n|_, ...)    election outcome
//
// `idx` and `votes` give one value per voter of cfg then cfgj, without repeating voters; `_`
// means "nothing known". Each result is also computed in ways that must agree (an alternative
// algorithm, a joint config with itself or the empty config, swapped halves); a disagreement is
// printed, so a golden file catches it.
import { cmdArgString, cmdArgUint, type TestData } from '../datadriven';
import type { NodeId } from '../types';
import { JointConfig } from './joint';
import { MajorityConfig, sortedIds } from './majority';
import {
  indexMax,
  indexString,
  mapAckIndexer,
  voteResultString,
  type AckedIndexer,
  type Index,
} from './quorum';

interface QuorumArgs {
  joint: boolean;
  ids: NodeId[];
  idsJoint: NodeId[];
  /** One value per distinct voter; 0 for "_". */
  idxs: Index[];
  /** One value per distinct voter: 0 for "_", 1 for no, 2 for yes. */
  votes: number[];
}

function parseArgs(d: TestData): QuorumArgs {
  const args: QuorumArgs = { joint: false, ids: [], idsJoint: [], idxs: [], votes: [] };
  for (const arg of d.cmdArgs) {
    for (let i = 0; i < arg.vals.length; i++) {
      switch (arg.key) {
        case 'cfg':
          args.ids.push(cmdArgUint(d, arg, i));
          break;
        case 'cfgj':
          args.joint = true;
          if (arg.vals[i] === 'zero') {
            if (arg.vals.length !== 1)
              throw new Error(`${d.pos}: cannot mix 'zero' into configuration`);
          } else {
            args.idsJoint.push(cmdArgUint(d, arg, i));
          }
          break;
        case 'idx':
          args.idxs.push(parseIdx(d, arg.vals[i], () => cmdArgUint(d, arg, i)));
          break;
        case 'votes':
          args.votes.push(parseVote(d, cmdArgString(d, arg, i)));
          break;
        default:
          throw new Error(`${d.pos}: unknown arg ${arg.key}`);
      }
    }
  }
  return args;
}

function parseIdx(d: TestData, text: string, scan: () => number): Index {
  // "_" is stored as 0, so 0 itself cannot be written.
  if (text === '_') return 0;
  const index = scan();
  if (index === 0) throw new Error(`${d.pos}: cannot use 0 as idx`);
  return index;
}

function parseVote(d: TestData, text: string): number {
  switch (text) {
    case 'y':
      return 2;
    case 'n':
      return 1;
    case '_':
      return 0;
    default:
      throw new Error(`${d.pos}: unknown vote: ${text}`);
  }
}

/** Maps the voters (cfg then cfgj, each once) to the given values, leaving out zeroes. */
function makeLookup(values: number[], ids: NodeId[], idsJoint: NodeId[]): Map<NodeId, number> {
  const lookup = new Map<NodeId, number>();
  let next = 0;
  for (const id of [...ids, ...idsJoint]) {
    if (lookup.has(id)) continue;
    if (next < values.length) lookup.set(id, values[next++]);
  }
  // Zero stands for "_": no entry at all, which differs from an entry of zero.
  for (const [id, value] of lookup) if (value === 0) lookup.delete(id);
  return lookup;
}

/** Go's %v of a map[uint64]struct{}: "map[1:{} 2:{}]". */
function goIdSet(ids: Iterable<NodeId>): string {
  return `map[${sortedIds(ids)
    .map((id) => `${id}:{}`)
    .join(' ')}]`;
}

/**
 * An independent computation of MajorityConfig.committedIndex (etcd's
 * alternativeMajorityCommittedIndex): the highest acked index that a quorum has reached.
 */
export function alternativeMajorityCommittedIndex(config: MajorityConfig, l: AckedIndexer): Index {
  if (config.size === 0) return indexMax;
  const acked: Index[] = [];
  for (const id of config) {
    const index = l.ackedIndex(id);
    if (index !== undefined) acked.push(index);
  }
  const quorum = Math.floor(config.size / 2) + 1;
  let best = 0;
  for (const candidate of acked) {
    const votes = acked.filter((index) => index >= candidate).length;
    if (votes >= quorum && candidate > best) best = candidate;
  }
  return best;
}

function handleMajorityCommitted(config: MajorityConfig, l: AckedIndexer): string {
  const index = config.committedIndex(l);
  let out = config.describe(l);
  const alternative = alternativeMajorityCommittedIndex(config, l);
  if (alternative !== index) out += `${indexString(alternative)} <-- via alternative computation\n`;
  const zeroJoint = new JointConfig(config, new MajorityConfig()).committedIndex(l);
  if (zeroJoint !== index) out += `${indexString(zeroJoint)} <-- via zero-joint quorum\n`;
  const selfJoint = new JointConfig(config, config).committedIndex(l);
  if (selfJoint !== index) out += `${indexString(selfJoint)} <-- via self-joint quorum\n`;
  for (const id of config.slice()) {
    const acked = l.ackedIndex(id) ?? 0;
    if (!(index > acked && acked > 0)) continue;
    // The committed index is above this voter's: lowering that voter further changes nothing.
    const lowered = config.committedIndex(overlay(config, l, id, acked - 1));
    if (lowered !== index) out += `${indexString(lowered)} <-- overlaying ${id}->${acked}`;
    const zeroed = config.committedIndex(overlay(config, l, id, 0));
    if (zeroed !== index) out += `${indexString(zeroed)} <-- overlaying ${id}->0`;
  }
  return out + `${indexString(index)}\n`;
}

/** The acked indexes of the config's voters, with voter `id` set to `index`. */
function overlay(config: MajorityConfig, l: AckedIndexer, id: NodeId, index: Index): AckedIndexer {
  const acked = new Map<NodeId, Index>();
  for (const voter of config) {
    const value = voter === id ? index : l.ackedIndex(voter);
    if (value !== undefined) acked.set(voter, value);
  }
  return mapAckIndexer(acked);
}

function handleCommitted(args: QuorumArgs, config: MajorityConfig, joint: MajorityConfig): string {
  const l = mapAckIndexer(makeLookup(args.idxs, args.ids, args.idsJoint));
  if (!args.joint) return handleMajorityCommitted(config, l);
  const cc = new JointConfig(config, joint);
  let out = cc.describe(l);
  const index = cc.committedIndex(l);
  const swapped = new JointConfig(joint, config).committedIndex(l);
  if (swapped !== index) out += `${indexString(swapped)} <-- via symmetry\n`;
  return out + `${indexString(index)}\n`;
}

function handleVote(args: QuorumArgs, config: MajorityConfig, joint: MajorityConfig): string {
  const votes = new Map<NodeId, boolean>();
  for (const [id, vote] of makeLookup(args.votes, args.ids, args.idsJoint))
    votes.set(id, vote !== 1);
  if (!args.joint) return `${voteResultString(config.voteResult(votes))}\n`;
  const result = new JointConfig(config, joint).voteResult(votes);
  const swapped = new JointConfig(joint, config).voteResult(votes);
  let out = '';
  if (swapped !== result) out += `${voteResultString(swapped)} <-- via symmetry\n`;
  return out + `${voteResultString(result)}\n`;
}

/** Handles one case of a quorum file. */
export function handleQuorumCase(d: TestData): string {
  const args = parseArgs(d);
  const config = new MajorityConfig(args.ids);
  const joint = new MajorityConfig(args.idsJoint);
  const input = d.cmd === 'vote' ? args.votes : args.idxs;
  const voters = new JointConfig(config, joint).ids();
  if (voters.size !== input.length) {
    return `error: mismatched input (explicit or _) for voters ${goIdSet(voters)}: [${input.map(indexString).join(' ')}]`;
  }
  switch (d.cmd) {
    case 'committed':
      return handleCommitted(args, config, joint);
    case 'vote':
      return handleVote(args, config, joint);
    default:
      throw new Error(`${d.pos}: unknown command: ${d.cmd}`);
  }
}

export const quorumSuite = {
  name: 'quorum',
  description: "etcd's quorum package: committed indexes and vote results",
  createHandler: () => handleQuorumCase,
};
