// hashicorp/raft's configuration model: a list of servers with a suffrage, changed one server at
// a time by a leader (AddVoter, AddNonvoter, DemoteVoter, RemoveServer), each change checked
// against the index of the configuration it was meant for (prevIndex). Every server tracks two
// configurations: the latest one in its log (used at once, when appended) and the committed one.
//
// Configuration entry layout (big-endian): u32 count (<= configurationServersMax, checked before
// allocating), then per server: u8 suffrage, u64 id, u32 address length (<= serverAddressBytesMax)
// + UTF-8 address bytes.
import { ByteReader, decodeUtf8 } from '../../storage/codec/byte-reader';
import { ByteWriter } from '../../storage/codec/byte-writer';
import { decodeWith, type DecodeResult } from '../../storage/codec/decode-error';
import { encodeUtf8 } from '../../storage/codec/utf8';
import { failure, success, type Result } from '../../storage/result';
import { Suffrage, suffrageNames, type Configuration, type Server, type ServerId } from './types';

/** Servers one configuration may list. */
export const configurationServersMax = 1024;
/** Longest server address, in UTF-8 bytes. */
export const serverAddressBytesMax = 1024;

export type ConfigurationChangeCommand = 'AddVoter' | 'AddNonvoter' | 'DemoteVoter' | 'RemoveServer';

export interface ConfigurationChangeRequest {
  command: ConfigurationChangeCommand;
  serverId: ServerId;
  /** Only for AddVoter and AddNonvoter. */
  serverAddress: string;
  /** If nonzero, the index of the only configuration this change may be applied to. */
  prevIndex: number;
}

/** The latest and committed configurations of one server (hashicorp's `configurations`). */
export interface Configurations {
  committed: Configuration;
  committedIndex: number;
  latest: Configuration;
  latestIndex: number;
}

export function emptyConfigurations(): Configurations {
  return { committed: { servers: [] }, committedIndex: 0, latest: { servers: [] }, latestIndex: 0 };
}

export function cloneConfiguration(configuration: Configuration): Configuration {
  return { servers: configuration.servers.map((server) => ({ ...server })) };
}

export function findServer(configuration: Configuration, id: ServerId): Server | undefined {
  return configuration.servers.find((server) => server.id === id);
}

/** Whether `id` is a Voter in `configuration`. */
export function hasVote(configuration: Configuration, id: ServerId): boolean {
  return findServer(configuration, id)?.suffrage === Suffrage.Voter;
}

export function voterIds(configuration: Configuration): ServerId[] {
  return configuration.servers.filter((server) => server.suffrage === Suffrage.Voter).map((server) => server.id);
}

/** A simple majority of the voters. */
export function quorumSize(configuration: Configuration): number {
  return Math.floor(voterIds(configuration).length / 2) + 1;
}

/** hashicorp's checkConfiguration: ids and addresses set and unique, at least one voter. */
export function checkConfiguration(configuration: Configuration): string | null {
  const ids = new Set<ServerId>();
  const addresses = new Set<string>();
  let voters = 0;
  for (const server of configuration.servers) {
    if (server.id === 0) return `Empty ID in configuration: ${describeConfiguration(configuration)}`;
    if (server.address === '') return `Empty address in configuration: ${describeServer(server)}`;
    if (ids.has(server.id)) return `Found duplicate ID in configuration: ${server.id}`;
    ids.add(server.id);
    if (addresses.has(server.address)) return `Found duplicate address in configuration: ${server.address}`;
    addresses.add(server.address);
    if (server.suffrage === Suffrage.Voter) voters++;
  }
  if (configuration.servers.length > configurationServersMax) return `More than ${configurationServersMax} servers in configuration`;
  if (voters === 0) return `Need at least one voter in configuration: ${describeConfiguration(configuration)}`;
  return null;
}

/**
 * The configuration a change makes from `current` (at `currentIndex`), or why it cannot:
 * a stale prevIndex, or a result that fails checkConfiguration (such as removing the last voter).
 */
export function nextConfiguration(
  current: Configuration,
  currentIndex: number,
  change: ConfigurationChangeRequest,
): Result<Configuration, string> {
  if (change.prevIndex > 0 && change.prevIndex !== currentIndex) {
    return failure(`Configuration changed since ${change.prevIndex} (latest is ${currentIndex})`);
  }
  const configuration = cloneConfiguration(current);
  const at = configuration.servers.findIndex((server) => server.id === change.serverId);
  const existing = at < 0 ? undefined : configuration.servers[at];
  switch (change.command) {
    case 'AddVoter': {
      // hashicorp/raft adds "staging" servers as voters right away (its Promote step is unused).
      const server = { suffrage: Suffrage.Voter, id: change.serverId, address: change.serverAddress };
      if (existing === undefined) configuration.servers.push(server);
      else configuration.servers[at] = server;
      break;
    }
    case 'AddNonvoter':
      if (existing === undefined) {
        configuration.servers.push({ suffrage: Suffrage.Nonvoter, id: change.serverId, address: change.serverAddress });
      } else {
        existing.address = change.serverAddress;
      }
      break;
    case 'DemoteVoter':
      if (existing !== undefined) existing.suffrage = Suffrage.Nonvoter;
      break;
    case 'RemoveServer':
      if (existing !== undefined) configuration.servers.splice(at, 1);
      break;
  }
  const problem = checkConfiguration(configuration);
  return problem === null ? success(configuration) : failure(problem);
}

export function describeServer(server: Server): string {
  return `{${suffrageNames[server.suffrage]} ${server.id} ${server.address}}`;
}

export function describeConfiguration(configuration: Configuration): string {
  return `[${configuration.servers.map(describeServer).join(' ')}]`;
}

export function configurationsEqual(a: Configuration, b: Configuration): boolean {
  return (
    a.servers.length === b.servers.length &&
    a.servers.every((server, i) => {
      const other = b.servers[i];
      return server.id === other.id && server.suffrage === other.suffrage && server.address === other.address;
    })
  );
}

export function writeConfiguration(writer: ByteWriter, configuration: Configuration): void {
  if (configuration.servers.length > configurationServersMax) {
    throw new RangeError(`${configuration.servers.length} servers exceed ${configurationServersMax}`);
  }
  writer.u32(configuration.servers.length);
  for (const server of configuration.servers) {
    const address = encodeUtf8(server.address);
    if (address.length > serverAddressBytesMax) throw new RangeError(`address of ${address.length} bytes exceeds ${serverAddressBytesMax}`);
    writer.u8(server.suffrage).u64(server.id).lengthPrefixedBytes(address);
  }
}

export function readConfiguration(reader: ByteReader): Configuration {
  const countOffset = reader.offset;
  const count = reader.u32('server count');
  if (count > configurationServersMax) {
    reader.fail('too-large', countOffset, `server count ${count} exceeds limit ${configurationServersMax}`);
  }
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const suffrageOffset = reader.offset;
    const suffrage = reader.u8('suffrage');
    if (!(suffrage in suffrageNames)) reader.fail('invalid', suffrageOffset, `unknown suffrage ${suffrage}`);
    const id = reader.u64Number('server id');
    const addressOffset = reader.offset + 4;
    const address = decodeUtf8(reader.lengthPrefixedBytes('server address', serverAddressBytesMax), 'server address', addressOffset);
    servers.push({ suffrage: suffrage as Suffrage, id, address });
  }
  return { servers };
}

export function encodeConfiguration(configuration: Configuration): Uint8Array {
  const writer = new ByteWriter(16 + configuration.servers.length * 32);
  writeConfiguration(writer, configuration);
  return writer.finish();
}

export function decodeConfiguration(bytes: Uint8Array): DecodeResult<Configuration> {
  return decodeWith(() => {
    const reader = new ByteReader(bytes);
    const configuration = readConfiguration(reader);
    reader.expectEnd('configuration');
    return configuration;
  });
}
