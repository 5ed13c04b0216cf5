// The simulated network with faults: each directed link has its own base latency (drawn once
// from [latencyMsMin, latencyMsMax]); each message adds a jitter, and may be lost, duplicated or
// held back so that later messages overtake it. Every decision draws from the network stream in
// a fixed order, whatever the ratios, so turning one fault up does not reshuffle the others.
import type { Message, NodeId } from '../../raft/types';
import type { RandomStream, Ratio } from '../random-streams';
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
  /** Why nothing arrives, for the transcript. */
  lostBecause?: 'loss' | 'partition';
}

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

  constructor(
    private readonly random: RandomStream,
    private readonly nodeIds: readonly NodeId[],
    faults: LinkFaults,
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

  baseLatencyOf(from: NodeId, to: NodeId): number {
    return this.baseLatencyMs.get(from * 1_000 + to) ?? 0;
  }

  route(message: Message, nowMs: number): Delivery {
    const faults = this.faults;
    const latencyMs = this.jittered(message.from, message.to);
    const lost = this.draw(faults.lossRatio);
    const duplicated = this.draw(faults.duplicateRatio);
    const duplicateLatencyMs = this.jittered(message.from, message.to);
    const held = this.draw(faults.reorderRatio);
    const holdMs = this.random.between(0, faults.reorderDelayMsMax);
    // A partition cuts messages as they are sent; ones already in flight still arrive.
    if (!this.partitions.connected(message.from, message.to)) {
      return { deliverAtMs: [], lostBecause: 'partition' };
    }
    if (lost) return { deliverAtMs: [], lostBecause: 'loss' };
    const first = nowMs + latencyMs + (held ? holdMs : 0);
    return { deliverAtMs: duplicated ? [first, nowMs + duplicateLatencyMs] : [first] };
  }

  /** Like RandomStream.chance, but always one draw, even for a zero ratio. */
  private draw(ratio: Ratio): boolean {
    return this.random.intn(ratio.denominator) < ratio.numerator;
  }

  private jittered(from: NodeId, to: NodeId): number {
    const { latencyMsMin, latencyMsMax, jitterMs } = this.faults;
    const latencyMs = this.baseLatencyOf(from, to) + this.random.between(-jitterMs, jitterMs);
    return Math.min(latencyMsMax, Math.max(latencyMsMin, latencyMs));
  }

  private drawBaseLatencies(): void {
    this.baseLatencyMs.clear();
    for (const from of this.nodeIds) {
      for (const to of this.nodeIds) {
        if (from === to) continue;
        const base = this.random.between(this.faults.latencyMsMin, this.faults.latencyMsMax);
        this.baseLatencyMs.set(from * 1_000 + to, base);
      }
    }
  }
}
