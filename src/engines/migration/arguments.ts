// Parsing the migration's two lists, as elastickv's tools take them:
// - peers `id=host:port,...` (the migrator's -peers and the orchestrator's PEERS): the etcd
//   configuration the migrated nodes start with;
// - nodes `id=host,...` (the orchestrator's NODES): the machines whose data dirs it converts.
// Missing `=`, empty fields and duplicate ids are errors, each with the entry it is about.
import { deriveNodeId } from '../../storage/peers/node-id';
import { comparePeers, type Peer } from '../../storage/peers/peer';
import { peersCountMax } from '../../storage/peers/peers-file';
import { failure, success, type Result } from '../../storage/result';

export interface NodeSpec {
  id: string;
  host: string;
}

/** The most nodes the orchestrator converts in one run (the peers file's own limit). */
export const migrationNodesMax = peersCountMax;

interface Pair {
  id: string;
  value: string;
}

function parsePairs(text: string, what: string, valueName: string): Result<Pair[], string> {
  if (text.trim() === '') return failure(`${what} list is empty`);
  const entries = text.split(',');
  if (entries.length > migrationNodesMax) return failure(`${what} list has ${entries.length} entries; at most ${migrationNodesMax}`);
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim();
    const equals = entry.indexOf('=');
    if (equals < 0) return failure(`invalid ${what} entry "${entry}": missing "=" (want id=${valueName})`);
    const id = entry.slice(0, equals).trim();
    const value = entry.slice(equals + 1).trim();
    if (id === '') return failure(`invalid ${what} entry "${entry}": empty id`);
    if (value === '') return failure(`invalid ${what} entry "${entry}": empty ${valueName}`);
    if (seen.has(id)) return failure(`duplicate ${what} id "${id}"`);
    seen.add(id);
    pairs.push({ id, value });
  }
  return success(pairs);
}

/** NODES: `id=host,...`. */
export function parseNodes(text: string): Result<NodeSpec[], string> {
  const pairs = parsePairs(text, 'node', 'host');
  if (!pairs.ok) return pairs;
  return success(pairs.value.map(({ id, value }) => ({ id, host: value })));
}

/**
 * Peers `id=host:port,...` as elastickv's peers: NodeID = FNV-1a 64 of the id (a u64, so
 * bigint). Two ids whose NodeIDs collide are refused: the configuration could not tell them apart.
 * Returned sorted as the peers file stores them (by NodeID, then id).
 */
export function parsePeers(text: string): Result<Peer[], string> {
  const pairs = parsePairs(text, 'peer', 'host:port');
  if (!pairs.ok) return pairs;
  const peers: Peer[] = [];
  const byNodeId = new Map<bigint, string>();
  for (const { id, value } of pairs.value) {
    const colon = value.lastIndexOf(':');
    const port = value.slice(colon + 1);
    if (colon <= 0 || !/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) {
      return failure(`invalid peer entry "${id}=${value}": address must be host:port`);
    }
    const nodeId = deriveNodeId(id);
    const other = byNodeId.get(nodeId);
    if (other !== undefined) return failure(`peer ids "${other}" and "${id}" have the same NodeID ${nodeId}`);
    byNodeId.set(nodeId, id);
    peers.push({ nodeId, id, address: value });
  }
  return success(peers.sort(comparePeers));
}

/**
 * The engine's node ids for the migrated configuration. The etcd engine here runs with small
 * number ids (a JS number cannot hold elastickv's 64-bit NodeIDs exactly), so the migrator
 * writes the peers file with the true FNV-1a NodeIDs and names the snapshot's voters 1..M in the
 * peers file's own order (sorted by NodeID, then id): raft id = 1 + the peer's record position
 * in the index-1 peers file. The mapping is a pure function of the peers list, so the migrator,
 * the orchestrator and anyone reading the peers file derive the same ids.
 */
export function migratedRaftIds(peers: readonly Peer[]): Map<string, number> {
  const sorted = [...peers].sort(comparePeers);
  return new Map(sorted.map((peer, position) => [peer.id, position + 1]));
}
