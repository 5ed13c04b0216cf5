// Checkpoints for fast seeking: deep clones of a Simulation (Simulation.clone) taken every
// `spacingEvents` events. Seeking to event N restores the latest checkpoint at or before N and
// steps forward from there, so a seek costs one clone plus at most spacingEvents events, however
// long the run. The number kept is bounded: when it would pass checkpointsKeptMax, the spacing
// doubles and every other checkpoint goes, so memory stays bounded and seeks stay short.
import type { Simulation } from './simulation';

export const checkpointsKeptMax = 64;
export const checkpointSpacingEventsDefault = 500;

export interface Checkpoint {
  /** Events processed when it was taken (interventions after that event included). */
  eventCount: number;
  simulation: Simulation;
}

export class SimulationCheckpoints {
  private readonly kept: Checkpoint[] = [];
  private spacing: number;

  constructor(
    spacingEvents = checkpointSpacingEventsDefault,
    private readonly keptMax = checkpointsKeptMax,
  ) {
    if (!(Number.isSafeInteger(spacingEvents) && spacingEvents > 0))
      throw new Error(`spacingEvents must be a positive integer, got ${spacingEvents}`);
    if (!(Number.isSafeInteger(keptMax) && keptMax >= 2))
      throw new Error(`keptMax must be an integer >= 2, got ${keptMax}`);
    this.spacing = spacingEvents;
  }

  get spacingEvents(): number {
    return this.spacing;
  }

  get count(): number {
    return this.kept.length;
  }

  /** Takes a checkpoint of `simulation` (after eventCount events) if one is due there. */
  offer(eventCount: number, simulation: Simulation): void {
    if (eventCount % this.spacing !== 0) return;
    const last = this.kept[this.kept.length - 1];
    if (last !== undefined && last.eventCount >= eventCount) return;
    this.kept.push({ eventCount, simulation: simulation.clone() });
    if (this.kept.length > this.keptMax) this.thin();
  }

  /** A fresh copy of the latest checkpoint at or before eventCount (the kept one stays intact). */
  restore(eventCount: number): Checkpoint | null {
    let found: Checkpoint | null = null;
    for (const checkpoint of this.kept) {
      if (checkpoint.eventCount > eventCount) break;
      found = checkpoint;
    }
    if (found === null) return null;
    return { eventCount: found.eventCount, simulation: found.simulation.clone() };
  }

  /** Forgets the checkpoints at or after eventCount (the run forks there). */
  forgetFrom(eventCount: number): void {
    while (this.kept.length > 0 && this.kept[this.kept.length - 1].eventCount >= eventCount)
      this.kept.pop();
  }

  private thin(): void {
    this.spacing *= 2;
    const keep = this.kept.filter((checkpoint) => checkpoint.eventCount % this.spacing === 0);
    this.kept.length = 0;
    this.kept.push(...keep);
  }
}
