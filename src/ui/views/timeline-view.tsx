// The timeline: a message sequence diagram on canvas over a window around the cursor, with
// leader terms as bands, faults as markers, and a scrubber over every event reached so far.
// It redraws from store.subscribe at most once per frame (a few times a second while playing);
// React renders only the controls.
import { useRef } from 'react';
import { layoutTimeline, type TimelineLayout } from '../render/timeline-layout';
import { currentTrace, displayTime, seek, seekToTime } from '../store/run-source';
import { setShowHeartbeats, setTimelineWindow, timelineWindows } from '../store/view-actions';
import { useFrameDrawing, useThrottledAppStore } from './use-app-store';
import { useElementSize } from './use-element-size';

export const timelineLabelWidth = 40;
const labelWidth = timelineLabelWidth;
export const timelineLinesMax = 4_000;
const linesMax = timelineLinesMax;
/** The cursor sits this far into the window; the rest shows what is ahead (if known). */
const cursorAt = 0.75;

export function windowOf(cursorMs: number, windowMs: number): [number, number] {
  const startMs = Math.max(0, cursorMs - windowMs * cursorAt);
  return [startMs, startMs + windowMs];
}

function paint(
  context: CanvasRenderingContext2D,
  layout: TimelineLayout,
  width: number,
  height: number,
): void {
  context.clearRect(0, 0, width, height);
  context.font = '11px system-ui, sans-serif';
  context.textBaseline = 'middle';
  for (const lane of layout.lanes) {
    context.strokeStyle = '#dee2e6';
    context.beginPath();
    context.moveTo(labelWidth, lane.y);
    context.lineTo(width, lane.y);
    context.stroke();
    context.fillStyle = '#495057';
    context.fillText(`n${lane.id}`, 8, lane.y);
  }
  for (const band of layout.bands) {
    context.globalAlpha = band.future ? 0.35 : 1;
    context.fillStyle = band.color;
    context.fillRect(band.x, band.y, band.width, band.height);
  }
  context.lineWidth = 0.8;
  for (const line of layout.lines) {
    context.globalAlpha = line.future ? 0.15 : 0.55;
    context.strokeStyle = line.color;
    context.beginPath();
    context.moveTo(line.x1, line.y1);
    context.lineTo(line.x2, line.y2);
    context.stroke();
    if (line.lost) {
      context.fillStyle = line.color;
      context.fillText('×', line.x2 - 3, line.y2);
    }
  }
  context.globalAlpha = 1;
  context.font = '600 11px system-ui, sans-serif';
  for (const band of layout.bands) {
    if (band.role !== 'leader' || band.width < 60) continue;
    const label = `leader · term ${band.term}`;
    context.fillStyle = 'rgba(255,255,255,0.85)';
    context.fillRect(
      band.x + 2,
      band.y + band.height / 2 - 7,
      context.measureText(label).width + 6,
      14,
    );
    context.fillStyle = '#212529';
    context.fillText(label, band.x + 5, band.y + band.height / 2);
  }
  context.font = '11px system-ui, sans-serif';
  for (const marker of layout.markers) {
    context.globalAlpha = marker.future ? 0.4 : 1;
    context.fillStyle = marker.injected ? '#7048e8' : '#c92a2a';
    context.beginPath();
    context.moveTo(marker.x, marker.y - 6);
    context.lineTo(marker.x + 5, marker.y);
    context.lineTo(marker.x, marker.y + 6);
    context.lineTo(marker.x - 5, marker.y);
    context.fill();
    context.fillText(marker.text, marker.x + 7, marker.y - 8);
  }
  context.globalAlpha = 1;
  context.fillStyle = '#868e96';
  for (const tick of layout.ticks) context.fillText(tick.label, tick.x - 14, height - 8);
  context.strokeStyle = '#212529';
  context.lineWidth = 1.5;
  context.beginPath();
  context.moveTo(layout.cursorX, 0);
  context.lineTo(layout.cursorX, height - 16);
  context.stroke();
}

export function TimelineView() {
  const [box, size] = useElementSize<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const { eventCount, knownEventCount, windowMs, showHeartbeats, lastSeekMs } =
    useThrottledAppStore((state) => ({
      eventCount: state.eventCount,
      knownEventCount: state.knownEventCount,
      windowMs: state.timelineWindowMs,
      showHeartbeats: state.showHeartbeats,
      lastSeekMs: state.lastSeekMs,
    }));
  useFrameDrawing((state) => {
    const element = canvas.current;
    if (element === null || size.width === 0) return;
    const scale = window.devicePixelRatio || 1;
    if (element.width !== size.width * scale || element.height !== size.height * scale) {
      element.width = size.width * scale;
      element.height = size.height * scale;
    }
    const context = element.getContext('2d')!;
    context.setTransform(scale, 0, 0, scale, 0, 0);
    const trace = currentTrace();
    const cursorMs = displayTime();
    const [startMs, endMs] = windowOf(cursorMs, state.timelineWindowMs);
    const layout = layoutTimeline({
      nodeIds: state.nodes.map((node) => node.id),
      flights: trace.flights,
      flightMsMax: trace.flightMsMax,
      roleChanges: trace.roleChanges,
      faults: trace.faults,
      width: size.width,
      height: size.height,
      labelWidth,
      startMs,
      endMs,
      cursorMs,
      traceEndMs: Math.max(trace.endMs, cursorMs),
      showHeartbeats: state.showHeartbeats,
      linesMax,
    });
    paint(context, layout, size.width, size.height);
  }, true);
  return (
    <section className="panel timeline-panel" aria-label="Timeline">
      <h2>
        Timeline{' '}
        <span className="hint">
          lanes = nodes · lines = messages · bands = leader terms · ◆ faults · click to seek
        </span>
      </h2>
      <div className="timeline-box" ref={box}>
        <canvas
          ref={canvas}
          data-testid="timeline"
          style={{ width: size.width, height: size.height }}
          onClick={(event) => {
            const bounds = event.currentTarget.getBoundingClientRect();
            const [startMs, endMs] = windowOf(displayTime(), windowMs);
            const fraction =
              (event.clientX - bounds.left - labelWidth) / (bounds.width - labelWidth - 8);
            if (fraction >= 0) seekToTime(startMs + fraction * (endMs - startMs));
          }}
        />
      </div>
      <div className="scrubber-row">
        <input
          type="range"
          data-testid="scrubber"
          aria-label="Position (events processed)"
          min={0}
          max={Math.max(1, knownEventCount)}
          value={eventCount}
          onChange={(event) => seek(Number(event.target.value))}
        />
        <select
          aria-label="Timeline window"
          value={windowMs}
          onChange={(event) => setTimelineWindow(Number(event.target.value))}
        >
          {timelineWindows.map((ms) => (
            <option key={ms} value={ms}>
              {ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}
            </option>
          ))}
        </select>
        <label className="check">
          <input
            type="checkbox"
            checked={showHeartbeats}
            onChange={(event) => setShowHeartbeats(event.target.checked)}
          />
          heartbeats
        </label>
        <span className="hint">
          {eventCount} / {knownEventCount}
          {lastSeekMs !== null ? ` · last seek ${Math.round(lastSeekMs)} ms` : ''}
        </span>
      </div>
    </section>
  );
}
