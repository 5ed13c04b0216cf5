// Colours shared by the views: one per term (stable, neighbours far apart), one per message
// family, one per role. Plain strings so the canvas and SVG renderers use the same values.
import { hsl } from 'd3';
import type { UiRole } from '../model/node-state';

/** Golden-angle hue steps keep neighbouring terms apart; term 0 is grey. */
export function termColor(term: number, lightness = 0.55): string {
  if (term <= 0) return hsl(0, 0, 0.75).formatHex();
  return hsl((term * 137.508) % 360, 0.6, lightness).formatHex();
}

const messageFamilies: [RegExp, string][] = [
  [/^MsgPreVote/, '#d4a017'],
  [/^MsgVote/, '#e8590c'],
  [/^MsgApp/, '#1c7ed6'],
  [/^MsgHeartbeat/, '#adb5bd'],
  [/^MsgSnap/, '#9c36b5'],
  [/^MsgReadIndex/, '#0ca678'],
  [/^MsgTimeoutNow|^MsgTransferLeader/, '#e03131'],
  [/^MsgProp/, '#2f9e44'],
  // The HashiCorp-style engine's RPCs, in the families of etcd's messages that do the same.
  [/^RequestVote/, '#e8590c'],
  [/^AppendEntries/, '#1c7ed6'],
  [/^InstallSnapshot/, '#9c36b5'],
  [/^TimeoutNow/, '#e03131'],
];

export function messageColor(type: string): string {
  for (const [pattern, color] of messageFamilies) if (pattern.test(type)) return color;
  return '#495057';
}

/** The message families in legend order, with a sample type for each. */
export const messageLegend: { label: string; color: string }[] = [
  { label: 'PreVote', color: messageColor('MsgPreVote') },
  { label: 'Vote', color: messageColor('MsgVote') },
  { label: 'App', color: messageColor('MsgApp') },
  { label: 'Heartbeat', color: messageColor('MsgHeartbeat') },
  { label: 'Snap', color: messageColor('MsgSnap') },
  { label: 'ReadIndex', color: messageColor('MsgReadIndex') },
];

export const roleColors: Record<UiRole, string> = {
  follower: '#868e96',
  'pre-candidate': '#f59f00',
  candidate: '#e8590c',
  leader: '#2b8a3e',
  learner: '#1c7ed6',
  down: '#212529',
};

export const lostColor = '#e03131';
