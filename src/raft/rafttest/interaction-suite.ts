// The `interaction` datadriven suite: etcd's interaction golden files run through a fresh
// InteractionEnv per file.
import type { DatadrivenSuite } from '../datadriven/suites';
import { newInteractionEnv } from './interaction-commands';

export const interactionSuite: DatadrivenSuite = {
  name: 'interaction',
  description:
    "etcd/raft's rafttest InteractionEnv (add-nodes, campaign, stabilize, deliver-msgs, ...)",
  createHandler() {
    const env = newInteractionEnv();
    return (d) => env.handle(d);
  },
};
