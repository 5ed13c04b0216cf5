// Export and import of a run as a trace file (src/ui/model/trace-file.ts), as module-level
// actions. An export computes the transcript hash of the whole run when the CLI can reproduce it
// (no interventions), so `npx raftlab replay` accepts the file. An import that is refused leaves
// the current run alone and says what is wrong in the store's traceFile message. A durable run's
// trace opens durable mode on new disks (src/ui/durable/durable-trace-file.ts).
import { createSimulation } from '../../sim/run';
import { buildVersion } from '../model/build-version';
import {
  formatTraceFile,
  parseTraceFile,
  runOptionsOf,
  type TraceFileContent,
} from '../model/trace-file';
import { durableTraceUrl, isDurableTraceText } from '../durable/durable-trace-file';
import { appStore } from './app-store';
import { currentRun, newRun, seek } from './run-actions';

function say(message: string, refused = false): void {
  appStore.setState({ traceFile: { message, refused } });
}

/** The whole run's transcript hash, as `raftlab run` reports it (runs the run to its end). */
export function wholeRunTranscriptHash(content: Pick<TraceFileContent, 'config'>): string {
  const simulation = createSimulation(runOptionsOf(content.config));
  return simulation.run().transcriptHash;
}

/** The current run as trace file text. */
export function exportTraceText(): string {
  const run = currentRun();
  const state = appStore.getState();
  const interventions = [...run.interventionList];
  const content = { config: state.config, interventions, position: state.eventCount };
  return formatTraceFile({
    ...content,
    buildVersion,
    transcriptHash: interventions.length === 0 ? wholeRunTranscriptHash(content) : null,
  });
}

/** Opens a trace's run at its position; false (with the reason in the store) when refused. */
export function importTraceText(text: string, fileName: string): boolean {
  // A durable run's trace (`raftlab run --durable|--engine --trace`) opens in durable mode.
  if (isDurableTraceText(text)) {
    const opened = durableTraceUrl(text, buildVersion);
    if (!opened.ok) say(`${fileName} refused: ${opened.error}`, true);
    else window.location.assign(opened.search);
    return opened.ok;
  }
  const parsed = parseTraceFile(text, buildVersion);
  if (!parsed.ok) {
    say(`${fileName} refused: ${parsed.error}`, true);
    return false;
  }
  const { config, interventions, position } = parsed.content;
  try {
    newRun(config, interventions);
  } catch (error) {
    say(`${fileName} refused: the run cannot start: ${(error as Error).message}`, true);
    return false;
  }
  seek(position);
  const reached = appStore.getState().eventCount;
  if (reached !== position) {
    say(`${fileName}: the run ends at event ${reached}, before the position ${position}`, true);
    return false;
  }
  say(`${fileName}: seed ${config.seed} opened at event ${position}`);
  return true;
}

/** Offers text as a file download. */
export function download(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the blob once the click is handled; release it on the next frame.
  requestAnimationFrame(() => URL.revokeObjectURL(url));
}

export function downloadTrace(): void {
  const state = appStore.getState();
  const text = exportTraceText();
  download(
    `raftlab-seed${state.config.seed}-t${state.eventCount}.trace.json`,
    new Blob([text], { type: 'application/json' }),
  );
  say(`exported seed ${state.config.seed} at event ${state.eventCount}`);
}
