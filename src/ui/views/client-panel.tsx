// Client operations by hand: a put, get or cas sent now, as a person's intervention (recorded,
// replayed on seek, carried in the URL). It joins the client history like the workload's
// operations, so the linearizability check covers it; the last operations on the key show below.
import { useState } from 'react';
import type { KvCommand } from '../../sim/workload/kv-codec';
import { currentRun, sendClientCommand } from '../store/run-actions';
import { useAppStore } from './use-app-store';

const historyRowsShown = 4;

function describeValue(value: string | null | [string | null, string]): string {
  if (Array.isArray(value)) return `${value[0] ?? 'nil'}→${value[1]}`;
  return value ?? 'nil';
}

export function ClientPanel() {
  const [f, setF] = useState<KvCommand['f']>('put');
  const [key, setKey] = useState('x');
  const [value, setValue] = useState('1');
  const [from, setFrom] = useState('');
  const [said, setSaid] = useState<string | null>(null);
  // The history only changes as events run: follow the event count.
  const eventCount = useAppStore((state) => state.eventCount);
  const recent = currentRun()
    .history()
    .filter((event) => event.key === key)
    .slice(-historyRowsShown);
  const send = (): void => {
    const command: KvCommand =
      f === 'get'
        ? { f, key }
        : f === 'put'
          ? { f, key, value }
          : { f, key, from: from === '' ? null : from, to: value };
    try {
      const line = sendClientCommand(command);
      setSaid(line.slice(line.indexOf(' inject ') + ' inject '.length));
    } catch (error) {
      setSaid((error as Error).message);
    }
  };
  return (
    <section className="panel client-panel" data-testid="client-panel" aria-label="Client">
      <h2>
        Client <span className="hint">send an operation by hand</span>
      </h2>
      <form
        className="client-form"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <select
          data-testid="client-op"
          aria-label="Operation"
          value={f}
          onChange={(event) => setF(event.target.value as KvCommand['f'])}
        >
          <option value="put">put</option>
          <option value="get">get</option>
          <option value="cas">cas</option>
        </select>
        <input
          data-testid="client-key"
          aria-label="Key"
          value={key}
          size={4}
          onChange={(event) => setKey(event.target.value)}
        />
        {f === 'cas' && (
          <input
            data-testid="client-from"
            aria-label="Expected value (empty: absent)"
            placeholder="from"
            value={from}
            size={4}
            onChange={(event) => setFrom(event.target.value)}
          />
        )}
        {f !== 'get' && (
          <input
            data-testid="client-value"
            aria-label="Value"
            value={value}
            size={4}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
        <button type="submit" data-testid="client-send" disabled={key === ''}>
          Send
        </button>
      </form>
      {said !== null && <div className="client-said">{said}</div>}
      <ul className="client-history" data-event-count={eventCount}>
        {recent.map((event, position) => (
          <li key={position}>
            {`${event.timeMs} c${event.process} ${event.type} ${event.f} ${event.key} ${describeValue(event.value)}${event.error === undefined ? '' : ` (${event.error})`}`}
          </li>
        ))}
      </ul>
    </section>
  );
}
