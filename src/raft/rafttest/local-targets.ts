// The harness's test for messages that must be delivered reliably (never dropped) because they
// stay inside one node: to itself, or to or from its own storage threads.
import type { Message } from '../types';
import { isLocalMsgTarget } from '../util';

/** True for messages a node sends to itself or its storage threads; deliver-msgs never drops them. */
export function isLocalDelivery(m: Message): boolean {
  return m.from === m.to || isLocalMsgTarget(m.from) || isLocalMsgTarget(m.to);
}
