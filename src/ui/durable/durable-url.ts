// The durable page's URL, written from a run's config (durable-page.ts reads it back): the run
// id and branch naming its disks, the engine, seed, nodes, faults (disk faults among them, as
// `raftlab run --durable --nemesis` takes them), time, reads, bug switches, the interventions and
// the position.
import { formatIntervention } from '../model/intervention-text';
import { formatNemesis } from '../store/url';
import type { DurableRunConfig } from './durable-app-run';
import type { DurableIntervention } from './durable-session';

function nemesisText(config: DurableRunConfig): string {
  const diskFaults = config.diskFaults ?? [];
  if (diskFaults.length === 0) return formatNemesis(config.nemesis);
  const faults = config.nemesis === 'seed' ? [] : config.nemesis;
  return [...faults, ...diskFaults].join(',');
}

/** A new run id: new disks (IndexedDB databases are named by it). */
export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `r${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

export function formatDurableUrl(
  config: DurableRunConfig,
  interventions: readonly DurableIntervention[] = [],
  position = 0,
): string {
  const parameters = new URLSearchParams();
  parameters.set('durable', '1');
  parameters.set('run', config.runId);
  if ((config.branch ?? 0) > 0) parameters.set('branch', String(config.branch));
  if ((config.engine ?? 'etcd') !== 'etcd') parameters.set('engine', config.engine!);
  parameters.set('seed', String(config.seed));
  parameters.set('nodes', String(config.nodeCount));
  parameters.set('nemesis', nemesisText(config));
  if (config.timeMs !== undefined) parameters.set('time', String(config.timeMs));
  if (config.reads !== undefined) parameters.set('reads', config.reads);
  if (config.bugs !== undefined && config.bugs.length > 0) parameters.set('bug', config.bugs.join(','));
  if (config.scenario !== undefined) parameters.set('scenario', config.scenario);
  const injected = interventions.map(formatIntervention).filter((text) => text !== null);
  if (injected.length > 0) parameters.set('inject', injected.join('~'));
  if (position > 0) parameters.set('t', String(position));
  return `?${parameters.toString()}`;
}
