// The tools row: datadriven playback, charts, "step to the next message / election / commit",
// and sharing the run as a trace file or as pictures of the views.
import { useState } from 'react';
import { stepUntilKinds, type StepUntilKind } from '../model/step-until';
import { appStore } from '../store/app-store';
import { openDatadrivenPanel } from '../store/datadriven-actions';
import { stepToNext } from '../store/step-until-actions';
import { download, downloadTrace, importTraceText } from '../store/trace-file-actions';
import { picturePng, pictureSvg, type PictureView } from './image-export';
import { useAppStore } from './use-app-store';
import './tools.css';

const kindLabels: Record<StepUntilKind, string> = {
  message: 'message delivered',
  election: 'leader elected',
  commit: 'commit advances',
};

function pictureName(view: PictureView, extension: string): string {
  const { config, eventCount } = appStore.getState();
  return `raftlab-${view}-seed${config.seed}-t${eventCount}.${extension}`;
}

export function ToolsBar() {
  const [kind, setKind] = useState<StepUntilKind>('election');
  const [view, setView] = useState<PictureView>('cluster');
  const { playing, done, chartsOpen, stepMessage, traceFile } = useAppStore((state) => ({
    playing: state.playing,
    done: state.done,
    chartsOpen: state.chartsOpen,
    stepMessage: state.stepUntilMessage,
    traceFile: state.traceFile,
  }));
  return (
    <section className="tools" aria-label="Tools">
      <label>
        Step to next{' '}
        <select
          data-testid="step-until-kind"
          value={kind}
          onChange={(event) => setKind(event.target.value as StepUntilKind)}
        >
          {stepUntilKinds.map((item) => (
            <option key={item} value={item}>
              {kindLabels[item]}
            </option>
          ))}
        </select>
      </label>
      <button data-testid="step-until" disabled={playing || done} onClick={() => stepToNext(kind)}>
        Go
      </button>
      {stepMessage !== null && (
        <span className="trace-message" data-testid="step-until-message">
          {stepMessage}
        </span>
      )}
      <span className="separator" />
      <button
        data-testid="open-charts"
        onClick={() => appStore.setState({ chartsOpen: !chartsOpen })}
      >
        {chartsOpen ? 'Hide charts' : 'Charts'}
      </button>
      <button data-testid="open-datadriven" onClick={() => openDatadrivenPanel(true)}>
        Datadriven file…
      </button>
      <span className="separator" />
      <button
        data-testid="export-trace"
        onClick={downloadTrace}
        title="Save the run (seed, options, interventions, position) as a trace file"
      >
        Export trace
      </button>
      <label
        className="file-pick"
        title="Open a trace file from the app or from npx raftlab run --trace"
      >
        Import trace
        <input
          type="file"
          accept=".json,application/json"
          data-testid="import-trace"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (file === undefined) return;
            importTraceText(await file.text(), file.name);
            event.target.value = '';
          }}
        />
      </label>
      <select
        data-testid="picture-view"
        value={view}
        onChange={(event) => setView(event.target.value as PictureView)}
        aria-label="View to export"
      >
        <option value="cluster">cluster</option>
        <option value="timeline">timeline</option>
      </select>
      <button
        data-testid="export-png"
        onClick={async () => download(pictureName(view, 'png'), await picturePng(view))}
      >
        PNG
      </button>
      <button
        data-testid="export-svg"
        onClick={() => download(pictureName(view, 'svg'), pictureSvg(view))}
      >
        SVG
      </button>
      {traceFile.message !== null && (
        <span
          className={`trace-message${traceFile.refused ? ' refused' : ''}`}
          data-testid="trace-message"
          data-refused={traceFile.refused}
          role={traceFile.refused ? 'alert' : 'status'}
        >
          {traceFile.message}
        </span>
      )}
    </section>
  );
}
