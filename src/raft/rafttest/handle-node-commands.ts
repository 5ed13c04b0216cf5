// Commands that call one RawNode method: campaign, propose, tick-election, tick-heartbeat,
// transfer-leadership, forget-leader, report-unreachable, set-randomized-election-timeout.
import { utf8Encode } from '../bytes';
import {
  HarnessFatal,
  InteractionError,
  firstAsNodeIdx,
  nodeIdxs,
  scanArgInt,
  type CommandArg,
} from './command-args';
import { setRandomizedElectionTimeout, type InteractionEnv } from './interaction-env';

/** campaign <id> */
export function handleCampaign(env: InteractionEnv, args: CommandArg[]): void {
  const idx = firstAsNodeIdx(args);
  if (idx < 0 || idx >= env.nodes.length) {
    throw new InteractionError(`node index ${idx} out of range [0, ${env.nodes.length})`);
  }
  env.nodes[idx].rawNode.campaign();
}

/** propose <id> <data> */
export function handlePropose(env: InteractionEnv, args: CommandArg[]): void {
  const idx = firstAsNodeIdx(args);
  if (args.length !== 2 || args[1].vals.length > 0) {
    throw new HarnessFatal('expected exactly one key with no vals');
  }
  env.node(idx).rawNode.propose(utf8Encode(args[1].key));
}

/** Ticks the node at index idx count times. */
export function tick(env: InteractionEnv, idx: number, count: number): void {
  const node = env.node(idx);
  for (let i = 0; i < count; i++) node.rawNode.tick();
}

/** tick-election <id>: one election timeout's worth of ticks (the randomized timeout may differ). */
export function handleTickElection(env: InteractionEnv, args: CommandArg[]): void {
  const idx = firstAsNodeIdx(args);
  tick(env, idx, env.node(idx).config.electionTick);
}

/** tick-heartbeat <id>: one heartbeat interval's worth of ticks. */
export function handleTickHeartbeat(env: InteractionEnv, args: CommandArg[]): void {
  const idx = firstAsNodeIdx(args);
  tick(env, idx, env.node(idx).config.heartbeatTick);
}

/** transfer-leadership from=<id> to=<id> */
export function handleTransferLeadership(env: InteractionEnv, args: CommandArg[]): void {
  const from = scanArgInt(args, 'from');
  const to = scanArgInt(args, 'to');
  if (from <= 0 || from > env.nodes.length)
    throw new HarnessFatal('expected valid "from" argument');
  if (to <= 0 || to > env.nodes.length) throw new HarnessFatal('expected valid "to" argument');
  env.node(from - 1).rawNode.transferLeader(to);
}

/** forget-leader <id> */
export function handleForgetLeader(env: InteractionEnv, args: CommandArg[]): void {
  env.node(firstAsNodeIdx(args)).rawNode.forgetLeader();
}

/** report-unreachable <reporting id> <unreachable id> */
export function handleReportUnreachable(env: InteractionEnv, args: CommandArg[]): void {
  const idxs = nodeIdxs(args);
  if (idxs.length !== 2) {
    throw new InteractionError(
      'must specify exactly two node indexes: node on which to report, and reported node',
    );
  }
  env.node(idxs[0]).rawNode.reportUnreachable(env.node(idxs[1]).config.id);
}

/** set-randomized-election-timeout <id> timeout=<ticks> */
export function handleSetRandomizedElectionTimeout(env: InteractionEnv, args: CommandArg[]): void {
  const idx = firstAsNodeIdx(args);
  const timeout = scanArgInt(args, 'timeout');
  if (timeout === 0) throw new HarnessFatal('timeout must not be zero');
  const set = env.options.setRandomizedElectionTimeout ?? setRandomizedElectionTimeout;
  set(env.node(idx).rawNode, timeout);
}
