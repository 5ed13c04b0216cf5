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
    future.number === 1
      ? "the seed's future"
      : `future ${future.number}, forked at event ${future.forkedAtEvent}`;
  return (
    <span
      className={rewound ? 'fork-control rewound' : 'fork-control'}
      data-testid="future"
      data-future={future.number}
      data-rewound={rewound}
    >
      <button
        data-testid="fork"
        onClick={() => forkFuture()}
        disabled={playing}
        title="Keep the past, drop what was recorded ahead, and let the clients choose anew from here"
      >
        ⑂ Fork
      </button>
      <span className="future-status">
        {status}
        {ahead > 0 && ` (${ahead} fork${ahead === 1 ? '' : 's'} ahead)`}
        {rewound && ` · replaying to event ${knownEventCount}: Fork or act to branch`}
      </span>
    </span>
  );
}
