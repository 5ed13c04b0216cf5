// The simulated network: every message gets a seeded latency, and may be lost with a seeded
// integer-ratio probability. Messages on one link may overtake each other, as UDP datagrams can;
// Raft must stay safe under reordering and loss.
import type { Message } from '../raft/types';
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
  constructor(
    private readonly random: RandomStream,
    private readonly options: NetworkOptions,
  ) {
    const { latencyMsMin, latencyMsMax } = options;
    if (!(Number.isSafeInteger(latencyMsMin) && latencyMsMin >= 0 && latencyMsMax >= latencyMsMin)) {
      throw new Error(`bad latency bounds ${latencyMsMin}..${latencyMsMax} ms`);
    }
  }

  /** Decides the fate of one message sent at nowMs. */
  route(_message: Message, nowMs: number): Route {
    // Draw the latency even for dropped messages so the stream advances the same way whatever
    // the drop ratio; a seed then varies one decision at a time.
    const latencyMs = this.random.between(this.options.latencyMsMin, this.options.latencyMsMax);
    if (this.random.chance(this.options.dropRatio)) return { delivered: false };
    return { delivered: true, deliverAtMs: nowMs + latencyMs };
  }
}
