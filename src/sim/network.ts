// The simulated network: every message gets a seeded latency, may be lost with a seeded
// integer-ratio probability, and is cut when a partition separates its two ends. Messages on one link may overtake each other, as UDP datagrams can;
// Raft must stay safe under reordering and loss.
import type { Message, NodeId } from '../raft/types';
import type { RandomStream, Ratio } from './random-streams';

export interface NetworkOptions {
  latencyMsMin: number;
  latencyMsMax: number;
  /** The chance that a message is lost; { numerator: 0, denominator: 1 } for none. */
  dropRatio: Ratio;
}

export const defaultNetworkOptions: NetworkOptions = {
  latencyMsMin: 1,
  latencyMsMax: 5,
  dropRatio: { numerator: 0, denominator: 1 },
};

export type Route = { delivered: true; deliverAtMs: number } | { delivered: false };

export class Network {
  /** The partition's side of each node; nodes on different sides cannot talk. Empty: healed. */
  private readonly sideOf = new Map<NodeId, number>();

  constructor(
    private readonly random: RandomStream,
    private readonly options: NetworkOptions,
  ) {
    const { latencyMsMin, latencyMsMax } = options;
    if (!(
      Number.isSafeInteger(latencyMsMin) &&
      latencyMsMin >= 0 &&
      latencyMsMax >= latencyMsMin
    )) {
      throw new Error(`bad latency bounds ${latencyMsMin}..${latencyMsMax} ms`);
    }
  }

  /** Splits the nodes into sides; a node left out of every side is alone on its own. */
  partition(sides: NodeId[][]): void {
    this.sideOf.clear();
    sides.forEach((side, position) => {
      for (const id of side) {
        if (this.sideOf.has(id)) throw new Error(`node ${id} is on two sides of the partition`);
        this.sideOf.set(id, position);
      }
    });
  }

  heal(): void {
    this.sideOf.clear();
  }

  /** Whether a message from one node can reach another under the current partition. */
  connected(from: NodeId, to: NodeId): boolean {
    if (this.sideOf.size === 0 || from === to) return true;
    const fromSide = this.sideOf.get(from);
    return fromSide !== undefined && fromSide === this.sideOf.get(to);
  }

  /** Decides the fate of one message sent at nowMs. */
  route(message: Message, nowMs: number): Route {
    // Draw the latency even for dropped messages so the stream advances the same way whatever
    // the drop ratio; a seed then varies one decision at a time.
    const latencyMs = this.random.between(this.options.latencyMsMin, this.options.latencyMsMax);
    if (this.random.chance(this.options.dropRatio)) return { delivered: false };
    // A partition cuts messages at the moment they are sent; ones already in flight arrive.
    if (!this.connected(message.from, message.to)) return { delivered: false };
    return { delivered: true, deliverAtMs: nowMs + latencyMs };
  }
}
