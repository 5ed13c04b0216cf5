// propose-conf-change: propose a configuration change, or leave a joint configuration that asked
// for an explicit transition (etcd's handleProposeConfChange). The input is the change in
// ConfChangesFromString's format (`v2 l3 r4 u5`); add-nodes still has to create new nodes.
//
//   propose-conf-change <id> [v1=<bool>] [transition=auto|implicit|explicit]
//   <changes>
import { confChangesFromString, type ConfChangeI } from '../encoding/conf-change';
import { ConfChangeTransition } from '../types';
import { InteractionError, firstAsNodeIdx, parseGoBool, type CommandArg } from './command-args';
import type { InteractionEnv } from './interaction-env';

export function handleProposeConfChange(
  env: InteractionEnv,
  args: CommandArg[],
  input: string,
): void {
  const idx = firstAsNodeIdx(args);
  let v1 = false;
  let transition = ConfChangeTransition.ConfChangeTransitionAuto;
  for (const arg of args.slice(1)) {
    for (const value of arg.vals) {
      if (arg.key === 'v1') v1 = parseV1(value);
      else if (arg.key === 'transition') transition = parseTransition(value);
      else throw new InteractionError(`unknown command ${arg.key}`);
    }
  }
  const changes = confChangesFromString(input);
  let cc: ConfChangeI;
  if (v1) {
    if (changes.length > 1 || transition !== ConfChangeTransition.ConfChangeTransitionAuto) {
      throw new InteractionError('v1 conf change can only have one operation and no transition');
    }
    cc = { type: changes[0].type, nodeId: changes[0].nodeId, context: null, id: 0 };
  } else {
    cc = { transition, changes, context: null };
  }
  env.node(idx).rawNode.proposeConfChange(cc);
}

function parseV1(value: string): boolean {
  const parsed = parseGoBool(value);
  if (parsed === null)
    throw new InteractionError(
      `strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`,
    );
  return parsed;
}

function parseTransition(value: string): ConfChangeTransition {
  switch (value) {
    case 'auto':
      return ConfChangeTransition.ConfChangeTransitionAuto;
    case 'implicit':
      return ConfChangeTransition.ConfChangeTransitionJointImplicit;
    case 'explicit':
      return ConfChangeTransition.ConfChangeTransitionJointExplicit;
    default:
      throw new InteractionError(`unknown transition ${value}`);
  }
}
