// Disk faults of a durable run: which are on, how hard, and the disk-full windows of the safety
// phase. Every draw comes from the seed's faults stream, continued after the nemesis plan's own
// draws (so the network and process faults of a seed are the same with or without --durable),
// in a fixed order whether a fault is on or not, and every choice is a printed parameter.
//
// - lost-writes: a crash step may instead arm the crash at one of the node's next disk writes;
//   that write does not happen and the writes before it not yet fsynced are lost.
// - torn-writes: an armed crash may let the interrupted write reach the disk in part, and keep a
//   prefix of the unsynced bytes of the file it wrote (a torn WAL record).
// - corrupt-reads: reads at boot may return a flipped bit (the node must refuse to start, never
//   recover wrong data). Only a minority of the nodes have such a flaky disk: a refusal can be
//   for good (etcd sets a snapshot that fails its checksum aside as .broken), and Raft survives
//   losing the disks of a minority, not of a majority.
// - disk-full: windows where every write of one node fails with ENOSPC (the node stops; it is
//   restarted when the window ends).
import type { DiskFaultRates } from '../../engines/etcd/batch';
import type { NodeId } from '../../raft/types';
import { describeRatio } from '../nemesis/plan';
import { shuffled, swarmPlan, type SwarmOptions } from '../nemesis/swarm';
import { createRandomStreams, type RandomStream, type Ratio } from '../random-streams';

export const diskFaultKinds = ['lost-writes', 'torn-writes', 'corrupt-reads', 'disk-full'] as const;
export type DiskFaultKind = (typeof diskFaultKinds)[number];

export function isDiskFaultKind(name: string): name is DiskFaultKind {
  return (diskFaultKinds as readonly string[]).includes(name);
}

export interface DiskStep {
  atMs: number;
  node: NodeId;
  /** True: the disk fills up (every write fails); false: it is freed again. */
  full: boolean;
}

export interface DiskFaultPlan {
  faults: DiskFaultKind[];
  source: 'seed' | 'list';
  /** Of the plan's crash steps, how many become a crash at a later disk write. */
  armedCrashRatio: Ratio;
  /** An armed crash hits one of the next 1..writePointsMax disk writes. */
  writePointsMax: number;
  /** Of armed crashes, how many tear the interrupted write. */
  tornRatio: Ratio;
  /** Torn writes keep up to this many bytes. */
  tornBytesMax: number;
  bitFlipOnReadRatio: Ratio;
  /** The nodes whose reads may flip a bit (a minority). */
  flakyNodes: NodeId[];
  steps: DiskStep[];
  parameters: [string, string][];
}

export const noDiskFaultRates: DiskFaultRates = {
  bitFlipOnReadRatio: { numerator: 0, denominator: 1 },
  writeFailureRatio: { numerator: 0, denominator: 1 },
};

export const diskFullRates: DiskFaultRates = {
  bitFlipOnReadRatio: { numerator: 0, denominator: 1 },
  writeFailureRatio: { numerator: 1, denominator: 1 },
};

/** Disk-full windows a plan may hold. */
export const diskStepsMax = 10_000;

/**
 * The faults stream positioned after the nemesis plan's draws: a swarm plan is drawn again from
 * a fresh stream exactly as resolveRunOptions drew it (a scenario's plan draws nothing).
 */
export function faultsStreamAfterPlan(
  seed: number,
  swarm: Omit<SwarmOptions, 'random'> | null,
): RandomStream {
  const random = createRandomStreams(seed).stream('faults');
  if (swarm !== null) swarmPlan({ ...swarm, random });
  return random;
}

export function diskFaultPlan(options: {
  random: RandomStream;
  nodeIds: readonly NodeId[];
  safetyMs: number;
  /** The disk faults to switch on; undefined lets the seed choose. */
  faults?: readonly DiskFaultKind[];
}): DiskFaultPlan {
  const { random, nodeIds, safetyMs } = options;
  const seedChoice = diskFaultKinds.filter(() => random.chance({ numerator: 1, denominator: 2 }));
  const faults =
    options.faults === undefined ? seedChoice : diskFaultKinds.filter((kind) => options.faults!.includes(kind));
  const on = (kind: DiskFaultKind): boolean => faults.includes(kind);
  const armedCrashRatio: Ratio = { numerator: random.between(30, 90), denominator: 100 };
  const writePointsMax = random.between(2, 12);
  const tornRatio: Ratio = { numerator: random.between(20, 80), denominator: 100 };
  const tornBytesMax = random.between(1, 64);
  const bitFlipOnReadRatio: Ratio = { numerator: random.between(1, 30), denominator: 1_000 };
  const minority = (nodeIds.length - 1) >> 1;
  const flakyNodes = shuffled(random, nodeIds)
    .slice(0, minority === 0 ? 0 : random.between(1, minority))
    .sort((a, b) => a - b);
  const fullGapMsMean = random.between(1_000, 6_000);
  const parameters: [string, string][] = [];
  const armed = on('lost-writes') || on('torn-writes');
  if (armed) {
    parameters.push(['crash at a disk write', `${describeRatio(armedCrashRatio)} of crashes, within the next ${writePointsMax} writes`]);
  }
  if (on('torn-writes')) {
    const share = on('lost-writes') ? describeRatio(tornRatio) : 'all';
    parameters.push(['torn writes', `${share} of those, keeping up to ${tornBytesMax} bytes`]);
  }
  const corrupt = on('corrupt-reads') && flakyNodes.length > 0;
  if (corrupt) parameters.push(['bit flip on read', `${describeRatio(bitFlipOnReadRatio)} on nodes ${flakyNodes.join(',')}`]);
  const steps: DiskStep[] = [];
  if (on('disk-full')) {
    parameters.push(['disk-full gap mean', `${fullGapMsMean} ms`]);
    for (let t = random.between(0, fullGapMsMean); t < safetyMs; ) {
      const node = nodeIds[random.intn(nodeIds.length)];
      const endMs = t + random.between(100, 2_000);
      steps.push({ atMs: t, node, full: true });
      if (endMs < safetyMs) steps.push({ atMs: endMs, node, full: false });
      t = endMs + random.between(fullGapMsMean >> 1, fullGapMsMean + (fullGapMsMean >> 1));
      if (steps.length > diskStepsMax) throw new Error(`disk fault schedule exceeds ${diskStepsMax} steps`);
    }
  }
  return {
    faults,
    source: options.faults === undefined ? 'seed' : 'list',
    armedCrashRatio: armed ? armedCrashRatio : { numerator: 0, denominator: 1 },
    writePointsMax,
    tornRatio: !on('torn-writes') ? { numerator: 0, denominator: 1 } : on('lost-writes') ? tornRatio : { numerator: 1, denominator: 1 },
    tornBytesMax,
    bitFlipOnReadRatio: corrupt ? bitFlipOnReadRatio : { numerator: 0, denominator: 1 },
    flakyNodes: corrupt ? flakyNodes : [],
    steps,
    parameters,
  };
}

/** How one crash step crashes: now, or at a later disk write (maybe torn). */
export type CrashChoice =
  | { kind: 'now' }
  | { kind: 'armed'; afterOperations: number; tornBytes?: number; keepPendingBytes: number };

/** Draws how a crash step crashes, from the faults stream. */
export function chooseCrash(plan: DiskFaultPlan, random: RandomStream): CrashChoice {
  if (!random.chance(plan.armedCrashRatio)) return { kind: 'now' };
  const afterOperations = random.intn(plan.writePointsMax);
  if (!random.chance(plan.tornRatio)) return { kind: 'armed', afterOperations, keepPendingBytes: 0 };
  const tornBytes = random.between(1, plan.tornBytesMax);
  const keepPendingBytes = random.between(0, plan.tornBytesMax);
  return { kind: 'armed', afterOperations, tornBytes, keepPendingBytes };
}

export function describeCrashChoice(choice: CrashChoice): string {
  if (choice.kind === 'now') return 'now';
  const torn = choice.tornBytes === undefined ? 'lost' : `torn ${choice.tornBytes} bytes, keep ${choice.keepPendingBytes}`;
  return `at write +${choice.afterOperations} (${torn})`;
}
