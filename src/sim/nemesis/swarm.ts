// Swarm testing: the seed chooses which faults a run injects and how hard, then a schedule of
// steps for the safety phase. Every draw comes from the faults stream in a fixed order, and
// every choice is recorded as a printed parameter.
import type { NodeId } from '../../raft/types';
import { noRatio, quietLinks, type LinkFaults } from '../network/faulty-network';
import { partitionKinds, type PartitionShape } from '../network/partitions';
import type { RandomStream, Ratio } from '../random-streams';
import {
  describeRatio,
  faultKinds,
  type FaultKind,
  type NemesisPlan,
  type NemesisStep,
} from './plan';

export interface SwarmOptions {
  random: RandomStream;
  nodeIds: readonly NodeId[];
  safetyMs: number;
  /** The faults to switch on; undefined lets the seed choose. */
  faults?: readonly FaultKind[];
  /** The largest clock drift to draw, in ppm; undefined lets the seed choose (1,000..20,000). */
  driftPpmMax?: number;
  /**
   * Fault cycles and the gaps between them are this many times shorter (default 1): a storm
   * of short faults, for searches that need faults to land inside narrow windows.
   */
  speedup?: number;
}

/** Steps the schedule may hold: a named limit on the plan's size. */
export const nemesisStepsMax = 10_000;

export function swarmPlan(options: SwarmOptions): NemesisPlan {
  const { random, nodeIds, safetyMs } = options;
  // Draw the on/off choices even when the caller chose, so the rest of the stream stays put.
  const seedChoice = faultKinds.filter(() => random.chance({ numerator: 1, denominator: 2 }));
  const faults =
    options.faults === undefined
      ? seedChoice
      : faultKinds.filter((kind) => options.faults!.includes(kind));
  const on = (kind: FaultKind): boolean => faults.includes(kind);
  const parameters: [string, string][] = [];
  const links = linkFaults(random, on, parameters);
  const driftPpm = clockDrift(random, nodeIds, on('clock'), parameters, options.driftPpmMax);
  const speedup = options.speedup ?? 1;
  if (!(Number.isSafeInteger(speedup) && speedup >= 1 && speedup <= 1_000))
    throw new Error(`nemesis speedup must be an integer in 1..1000, got ${speedup}`);
  if (speedup !== 1) parameters.push(['speedup', `${speedup}x`]);
  const fast = (ms: number): number => Math.max(1, Math.floor(ms / speedup));
  const steps: NemesisStep[] = [];
  const lanes: [FaultKind, (t: number) => { steps: NemesisStep[]; endMs: number }][] = [
    ['partition', (t) => partitionCycle(random, nodeIds, t, fast)],
    ['crash', (t) => crashCycle(random, nodeIds, t, fast)],
    ['pause', (t) => pauseCycle(random, nodeIds, t, fast)],
  ];
  for (const [kind, cycle] of lanes) {
    const gapMsMean = fast(random.between(300, 3_000));
    if (!on(kind)) continue;
    parameters.push([`${kind} gap mean`, `${gapMsMean} ms`]);
    for (let t = random.between(0, gapMsMean); t < safetyMs;) {
      const cycleSteps = cycle(t);
      steps.push(...cycleSteps.steps.filter((step) => step.atMs < safetyMs));
      t = cycleSteps.endMs + random.between(gapMsMean >> 1, gapMsMean + (gapMsMean >> 1));
      if (steps.length > nemesisStepsMax)
        throw new Error(`nemesis schedule exceeds ${nemesisStepsMax} steps`);
    }
  }
  // Stable: steps at the same millisecond keep their lane order.
  steps.sort((a, b) => a.atMs - b.atMs);
  return {
    faults,
    source: options.faults === undefined ? 'seed' : 'list',
    links,
    driftPpm,
    steps,
    parameters,
  };
}

function ratioPercent(random: RandomStream, low: number, high: number): Ratio {
  return { numerator: random.between(low, high), denominator: 100 };
}

function linkFaults(
  random: RandomStream,
  on: (kind: FaultKind) => boolean,
  parameters: [string, string][],
): LinkFaults {
  const latencyMsMin = random.between(1, 5);
  // Kept well below the election timeout (10 ticks of 10 ms): slower links only stall elections.
  const latencyMsMax = latencyMsMin + random.between(10, 50);
  const jitterMs = random.between(0, 20);
  const loss = ratioPercent(random, 1, 20);
  const duplicate = ratioPercent(random, 1, 10);
  const reorder = ratioPercent(random, 1, 20);
  const reorderDelayMsMax = random.between(5, 100);
  const links: LinkFaults = {
    ...quietLinks,
    ...(on('latency') ? { latencyMsMin, latencyMsMax, jitterMs } : {}),
    lossRatio: on('loss') ? loss : noRatio,
    duplicateRatio: on('duplicate') ? duplicate : noRatio,
    reorderRatio: on('reorder') ? reorder : noRatio,
    reorderDelayMsMax: on('reorder') ? reorderDelayMsMax : 0,
  };
  parameters.push(
    ['latency', `${links.latencyMsMin}..${links.latencyMsMax} ms, jitter ${links.jitterMs} ms`],
    ['loss', describeRatio(links.lossRatio)],
    ['duplicate', describeRatio(links.duplicateRatio)],
    ['reorder', `${describeRatio(links.reorderRatio)}, up to ${links.reorderDelayMsMax} ms`],
  );
  return links;
}

function clockDrift(
  random: RandomStream,
  nodeIds: readonly NodeId[],
  on: boolean,
  parameters: [string, string][],
  driftPpmMaxGiven: number | undefined,
): Record<NodeId, number> {
  // Drawn even when given, so the rest of the stream stays put.
  const driftPpmMaxSeed = random.between(1_000, 20_000);
  const driftPpmMax = driftPpmMaxGiven ?? driftPpmMaxSeed;
  if (!(Number.isSafeInteger(driftPpmMax) && driftPpmMax >= 0 && driftPpmMax <= 500_000))
    throw new Error(`driftPpmMax must be an integer in 0..500000, got ${driftPpmMax}`);
  const driftPpm: Record<NodeId, number> = {};
  for (const id of nodeIds) {
    const drift = random.between(-driftPpmMax, driftPpmMax);
    driftPpm[id] = on ? drift : 0;
  }
  if (on) {
    parameters.push(['clock drift', nodeIds.map((id) => `${id}:${driftPpm[id]}ppm`).join(' ')]);
  }
  return driftPpm;
}

type Scale = (ms: number) => number;

function partitionCycle(
  random: RandomStream,
  nodeIds: readonly NodeId[],
  atMs: number,
  fast: Scale,
) {
  const shape = randomShape(random, nodeIds);
  const endMs = atMs + fast(random.between(200, 3_000));
  return {
    steps: [
      { atMs, action: { kind: 'partition', shape } },
      { atMs: endMs, action: { kind: 'heal' } },
    ] satisfies NemesisStep[],
    endMs,
  };
}

function crashCycle(random: RandomStream, nodeIds: readonly NodeId[], atMs: number, fast: Scale) {
  const node = nodeIds[random.intn(nodeIds.length)];
  const endMs = atMs + fast(random.between(50, 3_000));
  return {
    steps: [
      { atMs, action: { kind: 'crash', node } },
      { atMs: endMs, action: { kind: 'restart', node } },
    ] satisfies NemesisStep[],
    endMs,
  };
}

function pauseCycle(random: RandomStream, nodeIds: readonly NodeId[], atMs: number, fast: Scale) {
  const node = nodeIds[random.intn(nodeIds.length)];
  const durationMs = fast(random.between(50, 3_000));
  return {
    steps: [{ atMs, action: { kind: 'pause', node, durationMs } }] satisfies NemesisStep[],
    endMs: atMs + durationMs,
  };
}

const byNumber = (a: number, b: number): number => a - b;

export function shuffled<T>(random: RandomStream, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.intn(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** A random partition of one of the five shapes (a bridge needs three nodes). */
export function randomShape(random: RandomStream, nodeIds: readonly NodeId[]): PartitionShape {
  const kind = partitionKinds[random.intn(partitionKinds.length)];
  const order = shuffled(random, nodeIds);
  const cut = random.between(1, Math.max(1, order.length - 1));
  const n = order.length;
  switch (kind) {
    case 'symmetric':
      return { kind, sides: [order.slice(0, cut).sort(byNumber), order.slice(cut).sort(byNumber)] };
    case 'one-way':
      return {
        kind,
        from: order.slice(0, cut).sort(byNumber),
        to: order.slice(cut).sort(byNumber),
      };
    case 'isolate':
      return { kind, node: order[0] };
    case 'majority-minority':
      return { kind, majority: order.slice(0, (n >> 1) + 1).sort(byNumber) };
    case 'bridge': {
      if (n < 3) return { kind: 'isolate', node: order[0] };
      const middle = 1 + Math.max(1, (n - 1) >> 1);
      return {
        kind,
        bridge: order[0],
        sides: [order.slice(1, middle).sort(byNumber), order.slice(middle).sort(byNumber)],
      };
    }
  }
}
