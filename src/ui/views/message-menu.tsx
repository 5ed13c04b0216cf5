// A message in flight's menu: drop it (it never arrives) or duplicate it (a copy arrives a little
// later). The message is named by its in-flight id, which replays exactly, so the URL carries it.
import { currentRun, dropMessage, duplicateMessage } from '../store/run-actions';
import { useMenuPlacement, type MenuAnchor } from './use-menu-placement';

const duplicateDelayMs = 5;

export function MessageMenu({ flightId, anchor }: { flightId: number; anchor: MenuAnchor }) {
  const placement = useMenuPlacement(anchor);
  const trace = currentRun().trace;
  const flight = trace.flights[trace.flightIndexOf(flightId)];
  return (
    <div
      ref={placement.ref}
      className={`node-menu ${placement.className}`}
      data-testid="message-menu"
      role="menu"
      style={placement.style}
      onClick={(event) => event.stopPropagation()}
    >
      <div className="node-menu-title">
        {flight === undefined
          ? `Message f${flightId}`
          : `${flight.type} ${flight.from}→${flight.to} (term ${flight.term})`}
      </div>
      <button data-testid="message-drop" role="menuitem" onClick={() => dropMessage(flightId)}>
        Drop
      </button>
      <button
        data-testid="message-duplicate"
        role="menuitem"
        onClick={() => duplicateMessage(flightId, duplicateDelayMs)}
      >
        Duplicate (+{duplicateDelayMs} ms)
      </button>
    </div>
  );
}
