// The simulated network with faults: each directed link has its own base latency (drawn once
// from [latencyMsMin, latencyMsMax]); each message adds a jitter, and may be lost, duplicated or
// held back so that later messages overtake it. Every decision draws from the network stream in
// a fixed order, whatever the ratios, so turning one fault up does not reshuffle the others.
import type { Message, NodeId } from '../../raft/types';
import type { RandomStream, Ratio } from '../random-streams';

/** A random stream per directed link (clocked-random.ts LinkStreams). */
export interface LinkRandom {
  of(from: NodeId, to: NodeId): RandomStream;
}
import { Partitions } from './partitions';

export interface LinkFaults {
  latencyMsMin: number;
  latencyMsMax: number;
  /** Each message's latency is the link's base latency plus a uniform draw in [-jitter, +jitter], kept within [min, max]. */
  jitterMs: number;
  lossRatio: Ratio;
  duplicateRatio: Ratio;
  /** The chance that a message is held back by up to reorderDelayMsMax extra milliseconds. */
  reorderRatio: Ratio;
  reorderDelayMsMax: number;
}

export const noRatio: Ratio = { numerator: 0, denominator: 1 };

export const quietLinks: LinkFaults = {
  latencyMsMin: 1,
  latencyMsMax: 5,
  jitterMs: 1,
  lossRatio: noRatio,
  duplicateRatio: noRatio,
  reorderRatio: noRatio,
  reorderDelayMsMax: 0,
};

/** A message's fate: the times it arrives (none when lost, two when duplicated). */
export interface Delivery {
  deliverAtMs: number[];
  /** Why nothing arrives, for the transcript ('cut': a link cut by hand). */
  lostBecause?: 'loss' | 'partition' | 'cut';
}

/** A person's changes to one direction of one link, on top of the run's link faults. */
export interface LinkOverride {
  /** Messages on this link are lost. */
  cut: boolean;
  /** Added to every message's latency. */
  extraLatencyMs: number;
  /** An extra chance of loss, drawn only while it is non-zero. */
  lossRatio: Ratio;
}

const noOverride: LinkOverride = { cut: false, extraLatencyMs: 0, lossRatio: noRatio };

export function validateLinkFaults(faults: LinkFaults): void {
  const { latencyMsMin, latencyMsMax, jitterMs, reorderDelayMsMax } = faults;
  const integers = { latencyMsMin, latencyMsMax, jitterMs, reorderDelayMsMax };
  for (const [name, value] of Object.entries(integers)) {
    if (!(Number.isSafeInteger(value) && value >= 0)) {
      throw new Error(`${name} must be a non-negative integer, got ${value}`);
    }
  }
  for (const [name, ratio] of Object.entries({
    lossRatio: faults.lossRatio,
    duplicateRatio: faults.duplicateRatio,
    reorderRatio: faults.reorderRatio,
  })) {
    const { numerator, denominator } = ratio;
    if (!(
      Number.isSafeInteger(numerator) &&
      Number.isSafeInteger(denominator) &&
      denominator > 0 &&
      numerator >= 0 &&
      numerator <= denominator
    )) {
      throw new Error(
        `${name} must be an integer ratio in [0, 1], got ${numerator}/${denominator}`,
      );
    }
  }
  if (latencyMsMax < latencyMsMin) {
    throw new Error(`latencyMsMax (${latencyMsMax}) is below latencyMsMin (${latencyMsMin})`);
  }
}

export class FaultyNetwork {
  readonly partitions: Partitions;
  private faults: LinkFaults;
  private readonly baseLatencyMs = new Map<number, number>();
  /** Overrides by directed link (from * 1000 + to); absent links have none. */
  private readonly overrides = new Map<number, LinkOverride>();

  /**
   * `random` serves every link unless `linkRandom` gives each directed link its own stream
   * (the in-memory Simulation: a link's draws then depend only on that link's traffic).
   */
  constructor(
    private readonly random: RandomStream,
    private readonly nodeIds: readonly NodeId[],
    faults: LinkFaults,
    private readonly linkRandom: LinkRandom | null = null,
  ) {
    validateLinkFaults(faults);
    this.faults = faults;
    this.partitions = new Partitions(nodeIds);
    this.drawBaseLatencies();
  }

  get linkFaults(): LinkFaults {
    return this.faults;
  }

  /** Changes the link faults from now on; base latencies are redrawn within the new bounds. */
  setLinkFaults(faults: LinkFaults): void {
    validateLinkFaults(faults);
    this.faults = faults;
    this.drawBaseLatencies();
  }

  /** The override on one direction of a link (none: not cut, no extra latency or loss). */
  linkOverride(from: NodeId, to: NodeId): LinkOverride {
    return this.overrides.get(from * 1_000 + to) ?? noOverride;
  }

  /** Every link with an override, in (from, to) order. */
  linkOverrides(): { from: NodeId; to: NodeId; override: LinkOverride }[] {
    return [...this.overrides.entries()]
      .sort(([a], [b]) => a - b)
      .map(([key, override]) => ({ from: Math.floor(key / 1_000), to: key % 1_000, override }));
  }

  /** Changes one direction of a link; an override equal to none removes it. */
  setLinkOverride(from: NodeId, to: NodeId, change: Partial<LinkOverride>): void {
    if (!this.nodeIds.includes(from) || !this.nodeIds.includes(to) || from === to)
      throw new Error(`no link ${from}->${to} in this cluster`);
    const next = { ...this.linkOverride(from, to), ...change };
    validateLinkFaults({ ...quietLinks, lossRatio: next.lossRatio, jitterMs: next.extraLatencyMs });
    const none = !next.cut && next.extraLatencyMs === 0 && next.lossRatio.numerator === 0;
    if (none) this.overrides.delete(from * 1_000 + to);
    else this.overrides.set(from * 1_000 + to, next);
  }

  clearLinkOverrides(): void {
    this.overrides.clear();
  }

  baseLatencyOf(from: NodeId, to: NodeId): number {
    return this.baseLatencyMs.get(from * 1_000 + to) ?? 0;
  }

  private randomOf(from: NodeId, to: NodeId): RandomStream {
    return this.linkRandom === null ? this.random : this.linkRandom.of(from, to);
  }

  route(message: Pick<Message, 'from' | 'to'>, nowMs: number): Delivery {
    const faults = this.faults;
    const random = this.randomOf(message.from, message.to);
    const latencyMs = this.jittered(random, message.from, message.to);
    const lost = draw(random, faults.lossRatio);
    const duplicated = draw(random, faults.duplicateRatio);
    const duplicateLatencyMs = this.jittered(random, message.from, message.to);
    const held = draw(random, faults.reorderRatio);
    const holdMs = random.between(0, faults.reorderDelayMsMax);
    // A partition cuts messages as they are sent; ones already in flight still arrive.
    if (!this.partitions.connected(message.from, message.to)) {
      return { deliverAtMs: [], lostBecause: 'partition' };
    }
    if (lost) return { deliverAtMs: [], lostBecause: 'loss' };
    const first = nowMs + latencyMs + (held ? holdMs : 0);
    const deliverAtMs = duplicated ? [first, nowMs + duplicateLatencyMs] : [first];
    if (this.overrides.size === 0) return { deliverAtMs };
    return overridden(random, this.linkOverride(message.from, message.to), deliverAtMs);
  }

  private jittered(random: RandomStream, from: NodeId, to: NodeId): number {
    const { latencyMsMin, latencyMsMax, jitterMs } = this.faults;
    const latencyMs = this.baseLatencyOf(from, to) + random.between(-jitterMs, jitterMs);
    return Math.min(latencyMsMax, Math.max(latencyMsMin, latencyMs));
  }

  private drawBaseLatencies(): void {
    this.baseLatencyMs.clear();
    for (const from of this.nodeIds) {
      for (const to of this.nodeIds) {
        if (from === to) continue;
        const random = this.randomOf(from, to);
        const base = random.between(this.faults.latencyMsMin, this.faults.latencyMsMax);
        this.baseLatencyMs.set(from * 1_000 + to, base);
      }
    }
  }
}

/** Applies a link's override after the usual draws, so without overrides nothing changes. */
function overridden(random: RandomStream, override: LinkOverride, deliverAtMs: number[]): Delivery {
  if (override.cut) return { deliverAtMs: [], lostBecause: 'cut' };
  if (override.lossRatio.numerator > 0 && draw(random, override.lossRatio))
    return { deliverAtMs: [], lostBecause: 'loss' };
  return { deliverAtMs: deliverAtMs.map((atMs) => atMs + override.extraLatencyMs) };
}

/** Like RandomStream.chance, but always one draw, even for a zero ratio. */
function draw(random: RandomStream, ratio: Ratio): boolean {
  return random.intn(ratio.denominator) < ratio.numerator;
}
