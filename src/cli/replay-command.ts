// `raftlab replay TRACE`: re-runs a trace written by `raftlab run --trace` and checks that the
// transcript hash is the same. A trace that is not JSON, not a raftlab trace, of another format
// version or from another build is refused with what is wrong (exit 2); exit 0 when the hash
// matches, 1 when it differs.
import { readFile } from 'node:fs/promises';
import { runSimulation, type RunOptions } from '../sim/run';
import { runDurableSimulation, type DurableRunOptions } from '../sim/durable/durable-run';
import type { CommandOutput } from './main';
import { buildVersion, traceFormat, traceVersion } from './run-command';
import { traceOptionsError } from './trace-options';

export const usage = 'usage: raftlab replay TRACE\n';

export interface ParsedTrace {
  /** `durable: true` marks a `run --durable` trace (it replays in-process: same hash). */
  options: RunOptions & { durable?: boolean; diskFaults?: DurableRunOptions['diskFaults']; engine?: DurableRunOptions['engine'] };
  transcriptHash: string;
}

/** Checks a trace's envelope; the error names the field and what was expected. */
export function parseTrace(text: string, build: string): ParsedTrace | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not JSON: ${(error as Error).message}`;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return 'not a trace: expected a JSON object';
  const trace = json as Record<string, unknown>;
  if (trace.format !== traceFormat)
    return `not a raftlab trace: format is ${JSON.stringify(trace.format)}, expected "${traceFormat}"`;
  if (trace.version !== traceVersion)
    return `trace format version ${JSON.stringify(trace.version)} is not supported (this build reads version ${traceVersion})`;
  if (trace.buildVersion !== build)
    return `trace from build ${JSON.stringify(trace.buildVersion)}, this is build "${build}": a run replays only on the build that made it`;
  if (typeof trace.transcriptHash !== 'string' || !/^[0-9a-f]{64}$/.test(trace.transcriptHash))
    return 'transcriptHash: expected 64 hex digits';
  const options = trace.options;
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    return 'options: expected an object';
  const error = traceOptionsError(options as Record<string, unknown>);
  if (error !== null) return error;
  return { options: options as ParsedTrace['options'], transcriptHash: trace.transcriptHash };
}

export async function runReplayCommand(args: string[], io: CommandOutput): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('--')) {
    io.err(`raftlab replay: expected one trace file\n${usage}`);
    return 2;
  }
  const path = args[0];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.err(`raftlab replay: cannot read ${path}: ${(error as Error).message}\n`);
    return 2;
  }
  const trace = parseTrace(text, await buildVersion());
  if (typeof trace === 'string') {
    io.err(`raftlab replay: ${path}: refused: ${trace}\n`);
    return 2;
  }
  let hash: string;
  try {
    const { durable, diskFaults, ...options } = trace.options;
    hash =
      durable === true
        ? (await runDurableSimulation({ ...options, diskFaults })).simulation.transcriptHash
        : runSimulation(options).simulation.transcriptHash;
  } catch (error) {
    io.err(`raftlab replay: ${path}: the run stopped: ${(error as Error).message}\n`);
    return 2;
  }
  if (hash === trace.transcriptHash) {
    io.out(`${path}: replayed seed ${trace.options.seed}: same transcript, sha256 ${hash}\n`);
    return 0;
  }
  io.out(
    `${path}: replayed seed ${trace.options.seed}: DIFFERENT transcript: trace ${trace.transcriptHash}, now ${hash}\n`,
  );
  return 1;
}
