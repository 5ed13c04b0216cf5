// The checkers: Raft's safety invariants (checked by the simulator after every event), green
// until one breaks, with the offending event one click away; and the client history's
// linearizability verdict (checked when the run ends, or now on request) with the history drawn
// as a timeline (lin-timeline.tsx).
import { invariantNames } from '../../checker/invariants/invariants';
import { checkHistoryNow, seek } from '../store/run-source';
import { selectEvent } from '../store/view-actions';
import { LinTimeline } from './lin-timeline';
import { useThrottledAppStore } from './use-app-store';

const resultLabels = {
  linearizable: 'linearizable',
  'not-linearizable': 'NOT linearizable',
  unknown: 'unknown',
  pending: 'pending',
} as const;

export function CheckersPanel() {
  const { violation, linearizability, eventCount } = useThrottledAppStore((state) => ({
    violation: state.violation,
    linearizability: state.linearizability,
    eventCount: state.eventCount,
  }));
  return (
    <section className="panel checkers" aria-label="Checkers">
      <h2>Checkers</h2>
      <ul
        className="invariants"
        data-testid="invariants"
        data-violations={violation === null ? 0 : 1}
      >
        {invariantNames.map((name) => {
          const broken = violation?.invariant === name;
          return (
            <li key={name} className={broken ? 'broken' : 'holds'} data-invariant={name}>
              <span className="dot" /> {name}
            </li>
          );
        })}
      </ul>
      {violation !== null && (
        <div className="violation" role="alert">
          <strong>{violation.invariant}</strong> broken at event {violation.eventCount} (
          {violation.atMs} ms): {violation.explanation}{' '}
          <button
            data-testid="violation-event"
            onClick={() => {
              selectEvent(violation.eventCount);
              seek(violation.eventCount);
            }}
          >
            go to event {violation.eventCount}
          </button>
        </div>
      )}
      <div
        className={`linearizability result-${linearizability.result}`}
        data-testid="linearizability"
        data-result={linearizability.result}
      >
        <span>
          Linearizability: <strong>{resultLabels[linearizability.result]}</strong>
          {linearizability.result === 'pending'
            ? ''
            : ` (history up to event ${linearizability.checkedAtEvent})`}
        </span>
        {linearizability.result !== 'pending' &&
          linearizability.text !== linearizability.result && (
            <div className="hint">{linearizability.text}</div>
          )}
        <button data-testid="check-history" onClick={checkHistoryNow} disabled={eventCount === 0}>
          Check history now
        </button>
      </div>
      {linearizability.view != null && <LinTimeline view={linearizability.view} />}
    </section>
  );
}
