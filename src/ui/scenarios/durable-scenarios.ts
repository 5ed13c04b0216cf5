// The built-in durable scenarios: runs of durable mode (?durable=1, nodes in Web Workers on
// IndexedDB disks) at a seed and nemesis chosen so the story happens early, each with a caption.
// `?scenario=<id>` opens durable mode with the scenario's seed, nodes, faults and engine; the CLI
// run `npx raftlab run --durable [--engine <engine>] --nemesis <faults> --seed <seed> --nodes
// <nodes>` prints the same transcript.
import type { DiskFaultKind } from '../../sim/durable/disk-faults';
import type { DurableEngine } from '../../sim/durable/durable-run';
import type { FaultKind } from '../../sim/nemesis/plan';

export interface DurableScenario {
  id: string;
  title: string;
  caption: string;
  seed: number;
  nodeCount: number;
  nemesis: readonly FaultKind[];
  diskFaults: readonly DiskFaultKind[];
  /** The node host the scenario runs on: etcd's when absent (`--engine`). */
  engine?: DurableEngine;
}

export const durableScenarios: readonly DurableScenario[] = [
  {
    id: 'torn-write',
    title: 'A torn write',
    caption:
      'At 904 ms node 1 is crashed in the middle of a WAL write: only 13 bytes of the record reach ' +
      'its disk (event 1506). At 2056 ms it reboots from that disk: recovery finds the torn record ' +
      'at the tail, drops its 13 bytes (the event log says so), and node 1 rejoins and catches up ' +
      'from the leader. Step to event 2218 to see it.',
    seed: 6,
    nodeCount: 3,
    nemesis: ['crash'],
    diskFaults: ['torn-writes'],
  },
  {
    id: 'hashicorp-lease-step-down',
    title: 'HashiCorp: an isolated leader steps down by its lease',
    caption:
      'HashiCorp-style engine. Node 1 leads term 2; at 254 ms (event 231) the nemesis isolates ' +
      'it. Nothing tells it so, yet at 291 ms (event 254) its leader lease runs out and it steps ' +
      'down by itself ("failed to contact quorum of nodes" in the event log). Node 3 wins term 5 ' +
      'at 645 ms (event 418); node 1, alone and without pre-vote, campaigns at ever higher terms.',
    seed: 18,
    nodeCount: 3,
    nemesis: ['partition'],
    diskFaults: [],
    engine: 'hashicorp',
  },
];

export function durableScenarioById(id: string): DurableScenario | undefined {
  return durableScenarios.find((scenario) => scenario.id === id);
}

/** The scenario a page's URL names, if it names a durable one. */
export function durableScenarioOf(search: string): DurableScenario | undefined {
  const id = new URLSearchParams(search).get('scenario');
  return id === null ? undefined : durableScenarioById(id);
}

/** The durable-mode URL that opens the scenario (the picker's entry). */
export function durableScenarioUrl(scenario: DurableScenario): string {
  const parameters = new URLSearchParams();
  parameters.set('durable', '1');
  parameters.set('scenario', scenario.id);
  if (scenario.engine !== undefined && scenario.engine !== 'etcd') parameters.set('engine', scenario.engine);
  parameters.set('seed', String(scenario.seed));
  parameters.set('nodes', String(scenario.nodeCount));
  parameters.set('nemesis', [...scenario.nemesis, ...scenario.diskFaults].join(','));
  return `?${parameters.toString()}`;
}
