// The scheduler's queue: events ordered by (time, sequence number). The sequence number is the
// order of scheduling, so two events due at the same millisecond always run in the same order.

export interface Scheduled<Event> {
  readonly timeMs: number;
  readonly sequence: number;
  readonly event: Event;
}

/** A binary min-heap on (timeMs, sequence). */
export class EventQueue<Event> {
  private readonly heap: Scheduled<Event>[] = [];
  private sequenceNext = 0;

  constructor(private readonly eventsQueuedMax: number) {
    if (!(Number.isSafeInteger(eventsQueuedMax) && eventsQueuedMax > 0)) {
      throw new Error(`eventsQueuedMax must be a positive integer, got ${eventsQueuedMax}`);
    }
  }

  get size(): number {
    return this.heap.length;
  }

  push(timeMs: number, event: Event): Scheduled<Event> {
    if (!(Number.isFinite(timeMs) && timeMs >= 0)) throw new Error(`bad event time ${timeMs}`);
    if (this.heap.length >= this.eventsQueuedMax) {
      throw new Error(`event queue full: ${this.eventsQueuedMax} events queued (eventsQueuedMax)`);
    }
    const scheduled = { timeMs, sequence: this.sequenceNext++, event };
    this.heap.push(scheduled);
    this.siftUp(this.heap.length - 1);
    return scheduled;
  }

  peek(): Scheduled<Event> | undefined {
    return this.heap[0];
  }

  /** Every queued event, in no particular order (the heap's). */
  scheduled(): readonly Scheduled<Event>[] {
    return this.heap;
  }

  /** Takes the event with this sequence number out of the queue; undefined if not queued. */
  remove(sequence: number): Scheduled<Event> | undefined {
    const position = this.heap.findIndex((item) => item.sequence === sequence);
    if (position < 0) return undefined;
    const removed = this.heap[position];
    const last = this.heap.pop()!;
    if (position < this.heap.length) {
      this.heap[position] = last;
      this.siftDown(position);
      this.siftUp(position);
    }
    return removed;
  }

  pop(): Scheduled<Event> | undefined {
    const top = this.heap[0];
    if (top === undefined) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  // The sifts move a hole instead of swapping pairs (a destructuring swap allocates an array
  // per step, which made the queue the simulator's biggest source of garbage).
  private siftUp(index: number): void {
    const heap = this.heap;
    const item = heap[index];
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent];
      if (!before(item, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = item;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const length = heap.length;
    const item = heap[index];
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && before(heap[right], heap[left]) ? right : left;
      const below = heap[child];
      if (!before(below, item)) break;
      heap[index] = below;
      index = child;
    }
    heap[index] = item;
  }
}

function before<Event>(a: Scheduled<Event>, b: Scheduled<Event>): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.sequence < b.sequence);
}
