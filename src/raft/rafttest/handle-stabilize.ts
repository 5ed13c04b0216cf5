// stabilize: run Ready handling, message delivery and the storage threads on a set of nodes
// until nothing changes (etcd's handleStabilize). Each round goes through the nodes in order,
// first handling Ready on all of them, then delivering to each, then draining each append
// thread, then each apply thread; the output of each step is indented under a "> N ..." header.
//
//   stabilize [<id>...] [log-level=<level>]
import { InteractionError, nodeIdxs, type CommandArg } from './command-args';
import { deliverMsgs, splitMsgs } from './handle-deliver-msgs';
import { processAppendThread } from './handle-process-append-thread';
import { processApplyThread } from './handle-process-apply-thread';
import { processReady } from './handle-process-ready';
import type { InteractionEnv, InteractionNode } from './interaction-env';
import { parseLogLevel } from './redirect-logger';

/** A generous bound on rounds: a group that has not settled by then is livelocked. */
const stabilizeRoundsMax = 100_000;

export function handleStabilize(env: InteractionEnv, args: CommandArg[]): void {
  const idxs = nodeIdxs(args);
  const previousLevel = env.output.level;
  try {
    for (const arg of args) {
      for (const value of arg.vals) {
        if (arg.key !== 'log-level') continue;
        const level = parseLogLevel(value);
        if (level === null) throw new InteractionError(logLevelsError());
        env.output.level = level;
      }
    }
    stabilize(env, idxs);
  } finally {
    env.output.level = previousLevel;
  }
}

export function logLevelsError(): string {
  return 'log levels must be either of [DEBUG INFO WARN ERROR FATAL NONE]';
}

/** Runs rounds on the nodes at the given indexes (all nodes when none) until a fixed point. */
export function stabilize(env: InteractionEnv, idxs: number[]): void {
  const nodes: InteractionNode[] =
    idxs.length > 0 ? idxs.map((idx) => env.node(idx)) : [...env.nodes];
  for (let round = 0; round < stabilizeRoundsMax; round++) {
    if (stabilizeRound(env, nodes)) return;
  }
  throw new InteractionError(`stabilize did not settle within ${stabilizeRoundsMax} rounds`);
}

/** One round; returns true when no node had anything to do. */
function stabilizeRound(env: InteractionEnv, nodes: InteractionNode[]): boolean {
  let done = true;
  for (const node of nodes) {
    if (!node.rawNode.hasReady()) continue;
    const idx = node.config.id - 1;
    env.output.write(`> ${idx + 1} handling Ready\n`);
    env.withIndent(() => processReady(env, idx));
    done = false;
  }
  for (const node of nodes) {
    const id = node.config.id;
    // Look first, only to decide whether to print the header; deliverMsgs splits again.
    if (splitMsgs(env.messages, id, 'all', false).matching.length === 0) continue;
    env.output.write(`> ${id} receiving messages\n`);
    env.withIndent(() => deliverMsgs(env, 'all', [{ id, drop: false }]));
    done = false;
  }
  for (const node of nodes) {
    if (node.appendWork.length === 0) continue;
    const idx = node.config.id - 1;
    env.output.write(`> ${idx + 1} processing append thread\n`);
    while (node.appendWork.length > 0) env.withIndent(() => processAppendThread(env, idx));
    done = false;
  }
  for (const node of nodes) {
    if (node.applyWork.length === 0) continue;
    const idx = node.config.id - 1;
    env.output.write(`> ${idx + 1} processing apply thread\n`);
    while (node.applyWork.length > 0) env.withIndent(() => processApplyThread(env, idx));
    done = false;
  }
  return done;
}
