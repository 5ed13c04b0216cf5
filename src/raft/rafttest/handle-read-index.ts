// read-index <id> <context>: asks the node for a linearizable read (RawNode.ReadIndex, thesis
// 6.4). etcd's harness has no such command; this project adds it so that scenario files can show
// ReadIndex and lease reads. The answer arrives later as a ReadState, which process-ready prints
// as `ReadStates [{index [context bytes]}]` (etcd's DescribeReady).
import { utf8Encode } from '../bytes';
import { HarnessFatal, firstAsNodeIdx, type CommandArg } from './command-args';
import type { InteractionEnv } from './interaction-env';

export function handleReadIndex(env: InteractionEnv, args: CommandArg[]): void {
  const idx = firstAsNodeIdx(args);
  if (args.length !== 2 || args[1].vals.length > 0) {
    throw new HarnessFatal('expected exactly one key with no vals');
  }
  env.node(idx).rawNode.readIndex(utf8Encode(args[1].key));
}
