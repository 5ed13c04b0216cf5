// The caption of the scenario playing: what to watch for at this point of the run. It follows
// the position (a step back shows the caption of that moment) and says how to go on.
import { currentCaption, currentScenario } from '../store/presentation-actions';
import { useAppStore } from './use-app-store';

export function CaptionBar() {
  // Re-render when the position or the run's known outcome changes; the caption is derived.
  const { shown, playing } = useAppStore((state) => ({
    shown: state.config.scenario !== undefined && state.captionsShown,
    eventCount: state.eventCount,
    knownEventCount: state.knownEventCount,
    done: state.done,
    violation: state.violation,
    config: state.config,
    playing: state.playing,
  }));
  const scenario = currentScenario();
  if (!shown || scenario === null) return null;
  const caption = currentCaption();
  return (
    <section
      className="caption-bar"
      data-testid="caption"
      data-caption-index={caption?.index ?? -1}
      aria-live="polite"
    >
      <span className="caption-title">{scenario.title}</span>
      <span className="caption-text">{caption?.text ?? scenario.summary}</span>
      <span className="caption-progress">
        {caption === null ? '' : `${caption.index + 1}/${caption.count}`}
        {!playing && caption?.pause === true ? ' · space to go on' : ''}
      </span>
    </section>
  );
}
