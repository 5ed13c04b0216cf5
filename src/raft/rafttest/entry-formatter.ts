// How the harness prints entry payloads: Go's %q of the bytes (etcd's defaultEntryFormatter).
import { goQuote } from '../describe';

export function defaultEntryFormatter(data: Uint8Array): string {
  return goQuote(data);
}
