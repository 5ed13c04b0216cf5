// Flights are recorded in sending order, so the ones in the air at a moment start at a binary
// search for (moment - longest flight): views stay cheap however long the run gets.
import type { Flight } from '../model/run-trace';

/** Index of the first flight sent at or after timeMs. */
export function firstSentFrom(flights: readonly Flight[], timeMs: number): number {
  let low = 0;
  let high = flights.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (flights[middle].sentMs < timeMs) low = middle + 1;
    else high = middle;
  }
  return low;
}
