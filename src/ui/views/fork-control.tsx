// "Fork a new future": after a rewind the recorded future lies ahead (the timeline draws it
// faded) and stepping replays it exactly. Fork keeps the past and starts a new branch here: the
// recorded future is dropped and the clients draw anew, so the run goes another way (any other
// intervention made here forks too, with that change). The status says which future the cursor
// is on; the fork is an intervention, so the URL and an exported trace reproduce it.
import { forkFuture } from '../store/run-actions';
import { useAppStore } from './use-app-store';

export function ForkControl() {
  const { future, eventCount, knownEventCount, playing } = useAppStore((state) => ({
    future: state.future,
    eventCount: state.eventCount,
    knownEventCount: state.knownEventCount,
    playing: state.playing,
  }));
  const rewound = eventCount < knownEventCount;
  const ahead = future.count - future.number;
  const status =
    future.number === 1 ? 'future 1' : `future ${future.number} (from #${future.forkedAtEvent})`;
  const explained =
    (future.number === 1
      ? "On the seed's own future."
      : `On future ${future.number}, forked after event ${future.forkedAtEvent}.`) +
    (ahead > 0 ? ` ${ahead} fork${ahead === 1 ? '' : 's'} lie ahead.` : '') +
    (rewound
      ? ` Replaying the recorded future up to event ${knownEventCount}: Fork (or any action) here starts a new one.`
      : '');
  return (
    <span
      className={rewound ? 'fork-control rewound' : 'fork-control'}
      data-testid="future"
      data-future={future.number}
      data-rewound={rewound}
      title={explained}
    >
      <button
        data-testid="fork"
        onClick={() => forkFuture()}
        disabled={playing}
        title="Fork a new future here: keep the past, drop what was recorded ahead, and let the clients choose anew"
      >
        Fork
      </button>
      <span className="future-status">
        {status}
        {rewound && ' · replaying'}
      </span>
    </span>
  );
}
