// An intervention as text, for the URL's `inject` parameter and a trace file's app section:
// `<afterEvent>:<action>[:<field>...]`, items joined by `~` in the URL. Keys and values of
// client operations are percent-encoded (`:` and `~` included) so any printable text survives.
// Reading refuses anything malformed (null) rather than guessing; the caller says what it ignored.
import type { NodeId } from '../../raft/types';
import {
  duplicateDelayMsMax,
  extraLatencyMsMax,
  type InterventionAction,
  type MembershipChange,
} from '../../sim/interventions';
import type { KvCommand } from '../../sim/workload/kv-codec';

/** A user's action, applied right after event `afterEvent` (0: before the first event). */
export interface Intervention {
  afterEvent: number;
  action: InterventionAction;
}

const membershipChanges: readonly MembershipChange[] = ['remove', 'add-learner', 'add-voter'];

function encodeField(text: string): string {
  return encodeURIComponent(text).replace(/~/g, '%7E').replace(/!/g, '%21');
}

function decodeField(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function formatCommand(command: KvCommand): string {
  switch (command.f) {
    case 'get':
      return `client:get:${encodeField(command.key)}`;
    case 'put':
      return `client:put:${encodeField(command.key)}:${encodeField(command.value)}`;
    case 'cas': {
      // `!` stands for "the key is absent"; a present value is written after `=`.
      const from = command.from === null ? '!' : `=${encodeField(command.from)}`;
      return `client:cas:${encodeField(command.key)}:${from}:${encodeField(command.to)}`;
    }
  }
}

function formatAction(action: InterventionAction): string | null {
  switch (action.kind) {
    case 'crash':
    case 'restart':
    case 'campaign':
      return `${action.kind}:${action.node}`;
    case 'heal':
      return 'heal';
    case 'pause':
      return `pause:${action.node}:${action.durationMs}`;
    case 'partition':
      return action.shape.kind === 'isolate' ? `isolate:${action.shape.node}` : null;
    case 'transfer-leadership':
      return `transfer:${action.to}`;
    case 'membership':
      return `member:${action.node}:${action.change}`;
    case 'drop-message':
      return `drop:${action.flightId}`;
    case 'duplicate-message':
      return `dup:${action.flightId}:${action.delayMs}`;
    case 'cut-link':
      return `cut:${action.from}:${action.to}`;
    case 'restore-link':
      return `restore:${action.from}:${action.to}`;
    case 'link-faults': {
      const { numerator, denominator } = action.lossRatio;
      return `link:${action.from}:${action.to}:${action.extraLatencyMs}:${numerator}/${denominator}`;
    }
    case 'client':
      return formatCommand(action.command);
    case 'fork-workload':
      return `fork:${action.salt}`;
  }
}

/** The text of one intervention, or null for actions the text cannot carry. */
export function formatIntervention({ afterEvent, action }: Intervention): string | null {
  const text = formatAction(action);
  return text === null ? null : `${afterEvent}:${text}`;
}

const integerPattern = /^\d{1,15}$/;

function parseCommand(fields: readonly string[]): KvCommand | null {
  const [f, ...rest] = fields;
  const decoded = rest.map((field, position) =>
    f === 'cas' && position === 1 ? field : decodeField(field),
  );
  if (decoded.some((field) => field === null)) return null;
  const texts = decoded as string[];
  if (f === 'get' && texts.length === 1) return { f, key: texts[0] };
  if (f === 'put' && texts.length === 2) return { f, key: texts[0], value: texts[1] };
  if (f !== 'cas' || texts.length !== 3) return null;
  const [key, fromText, toText] = texts;
  if (fromText === '!') return { f, key, from: null, to: toText };
  const from = fromText.startsWith('=') ? decodeField(fromText.slice(1)) : null;
  return from === null ? null : { f, key, from, to: toText };
}

/** Reads the action part (`crash:2`, `cut:1:3`, ...); null when malformed. */
function parseAction(word: string, fields: readonly string[]): InterventionAction | null {
  if (word === 'client') return wrapCommand(parseCommand(fields));
  if (!fields.every((field) => integerPattern.test(field) || /^[\w/-]+$/.test(field))) return null;
  const numbers = fields.map(Number);
  const [a, b, c] = numbers;
  const arity = (count: number): boolean =>
    fields.length === count && fields.every((field) => integerPattern.test(field));
  switch (word) {
    case 'crash':
    case 'restart':
    case 'campaign':
      return arity(1) ? { kind: word, node: a } : null;
    case 'heal':
      return arity(0) ? { kind: 'heal' } : null;
    case 'pause':
      return arity(2) ? { kind: 'pause', node: a, durationMs: b } : null;
    case 'isolate':
      return arity(1) ? { kind: 'partition', shape: { kind: 'isolate', node: a } } : null;
    case 'transfer':
      return arity(1) ? { kind: 'transfer-leadership', to: a } : null;
    case 'member': {
      const change = fields[1] as MembershipChange;
      const ok = fields.length === 2 && integerPattern.test(fields[0]);
      return ok && membershipChanges.includes(change)
        ? { kind: 'membership', node: a, change }
        : null;
    }
    case 'drop':
      return arity(1) ? { kind: 'drop-message', flightId: a } : null;
    case 'dup':
      return arity(2) && b <= duplicateDelayMsMax
        ? { kind: 'duplicate-message', flightId: a, delayMs: b }
        : null;
    case 'cut':
    case 'restore':
      return arity(2)
        ? { kind: word === 'cut' ? 'cut-link' : 'restore-link', from: a, to: b }
        : null;
    case 'link':
      return parseLinkFaults(fields, [a, b, c]);
    case 'fork':
      return arity(1) ? { kind: 'fork-workload', salt: a } : null;
    default:
      return null;
  }
}

function wrapCommand(command: KvCommand | null): InterventionAction | null {
  return command === null ? null : { kind: 'client', command };
}

function parseLinkFaults(
  fields: readonly string[],
  [from, to, extraLatencyMs]: readonly number[],
): InterventionAction | null {
  if (fields.length !== 4 || !fields.slice(0, 3).every((field) => integerPattern.test(field)))
    return null;
  const ratio = /^(\d{1,9})\/(\d{1,9})$/.exec(fields[3]);
  if (ratio === null || extraLatencyMs > extraLatencyMsMax) return null;
  const [numerator, denominator] = [Number(ratio[1]), Number(ratio[2])];
  if (denominator === 0 || numerator > denominator) return null;
  return { kind: 'link-faults', from, to, extraLatencyMs, lossRatio: { numerator, denominator } };
}

/** Reads one intervention (`12:crash:2`); null when it is not one. */
export function parseIntervention(text: string): Intervention | null {
  const [afterText, word, ...fields] = text.split(':');
  if (word === undefined || !integerPattern.test(afterText)) return null;
  const action = parseAction(word, fields);
  return action === null ? null : { afterEvent: Number(afterText), action };
}

/** The nodes an action names, to check them against the cluster. */
export function nodesOfAction(action: InterventionAction): NodeId[] {
  switch (action.kind) {
    case 'crash':
    case 'restart':
    case 'pause':
    case 'campaign':
    case 'membership':
      return [action.node];
    case 'partition':
      return action.shape.kind === 'isolate' ? [action.shape.node] : [];
    case 'transfer-leadership':
      return [action.to];
    case 'cut-link':
    case 'restore-link':
    case 'link-faults':
      return [action.from, action.to];
    default:
      return [];
  }
}
