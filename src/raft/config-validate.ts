// etcd's Config.validate: rejects unusable configurations and fills in the defaults.
import { localAppendThread, localApplyThread, noLimit, ReadOnlyOption, type Config } from './config';
import { NONE } from './types';
import { discardLogger } from './logger';
import { seededRandom } from './random';
import { RaftError } from './errors';
import { noRaftBugs } from './bugs';

export type ValidatedConfig = Required<Config>;

export function isLocalMsgTarget(id: number): boolean {
  return id === localAppendThread || id === localApplyThread;
}

/** Returns the config with defaults filled in; throws a RaftError naming what is wrong. */
export function validateConfig(config: Config): ValidatedConfig {
  const fail = (text: string): never => {
    throw new RaftError(text);
  };
  if (config.id === NONE) fail('cannot use none as id');
  if (isLocalMsgTarget(config.id)) fail('cannot use local target as id');
  if (!(config.heartbeatTick > 0)) fail('heartbeat tick must be greater than 0');
  if (!(config.electionTick > config.heartbeatTick)) {
    fail('election tick must be greater than heartbeat tick');
  }
  if (config.storage === undefined || config.storage === null) fail('storage cannot be nil');
  const maxSizePerMsg = config.maxSizePerMsg ?? 0;
  const maxUncommitted = config.maxUncommittedEntriesSize || noLimit;
  // MaxCommittedSizePerReady defaults to MaxSizePerMsg: they used to be one knob.
  const maxCommittedSizePerReady = config.maxCommittedSizePerReady || maxSizePerMsg;
  if (!(config.maxInflightMsgs > 0)) fail('max inflight messages must be greater than 0');
  let maxInflightBytes = config.maxInflightBytes ?? 0;
  if (maxInflightBytes === 0) maxInflightBytes = noLimit;
  else if (maxInflightBytes < maxSizePerMsg) fail('max inflight bytes must be >= max message size');
  const readOnlyOption = config.readOnlyOption ?? ReadOnlyOption.ReadOnlySafe;
  const checkQuorum = config.checkQuorum ?? false;
  if (readOnlyOption === ReadOnlyOption.ReadOnlyLeaseBased && !checkQuorum) {
    fail('CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased');
  }
  return {
    id: config.id,
    electionTick: config.electionTick,
    heartbeatTick: config.heartbeatTick,
    storage: config.storage,
    applied: config.applied ?? 0,
    asyncStorageWrites: config.asyncStorageWrites ?? false,
    maxSizePerMsg,
    maxCommittedSizePerReady,
    maxUncommittedEntriesSize: maxUncommitted,
    maxInflightMsgs: config.maxInflightMsgs,
    maxInflightBytes,
    checkQuorum,
    preVote: config.preVote ?? false,
    readOnlyOption,
    logger: config.logger ?? discardLogger,
    random: config.random ?? seededRandom(config.id),
    disableProposalForwarding: config.disableProposalForwarding ?? false,
    disableConfChangeValidation: config.disableConfChangeValidation ?? false,
    stepDownOnRemoval: config.stepDownOnRemoval ?? false,
    bugs: config.bugs ?? noRaftBugs,
  };
}
