// One simulator run from user-level options: choose what the seed chooses (faults, their rates,
// the read path), run the safety and liveness phases, then check the client history for
// linearizability. The report is plain data; the CLI prints it and the app can draw it.
import { checkHistory, describeVerdict } from '../checker/linearizability/check';
import { isBugName, type BugName } from './bugs';
import { assertPlan, faultKinds, type FaultKind, type NemesisPlan } from './nemesis/plan';
import { swarmPlan } from './nemesis/swarm';
import { nodeEngineSettings } from './node-host';
import { readModes, type ReadMode } from './process/kv-node';
import { createRandomStreams } from './random-streams';
import { Simulation, type SimulationResult } from './simulation';
import { defaultWorkloadOptions, type WorkloadOptions } from './workload/clients';
import { toOperations, type HistoryEvent } from './workload/history';
import { kvRegisterModel } from './workload/kv-register-model';

export interface RunOptions {
  seed: number;
  nodeCount?: number;
  /** Length of the safety phase in simulated milliseconds. */
  timeMs?: number;
  /** The faults to switch on; undefined lets the seed choose (swarm testing). */
  nemesis?: readonly FaultKind[];
  /** How reads are served; undefined lets the seed choose. */
  reads?: ReadMode;
  tickMs?: number;
  livenessBoundMs?: number;
  workload?: Partial<WorkloadOptions>;
  /** A fixed plan (from a scenario file) instead of the seed's. */
  plan?: NemesisPlan;
  /** Search steps the linearizability check may take before answering "unknown". */
  checkStepsMax?: number;
  transcriptLinesKeptMax?: number;
  /** Bug switches (bugs.ts); none by default. */
  bugs?: readonly BugName[];
  /** Overrides the engine's maxSizePerMsg in bytes (0: one entry per append). */
  maxSizePerMsg?: number;
  /**
   * Override the engine's heartbeatTick and electionTick (default 1 and 10: a heartbeat round
   * every tick). etcd's server defaults are a 100 ms heartbeat and a 1 s election timeout, i.e.
   * 10 and 100 at 10 ms ticks.
   */
  heartbeatTicks?: number;
  electionTicks?: number;
  /** With clock faults on, each node's drift is drawn within +-this (default: the seed picks). */
  driftPpmMax?: number;
  /** Fault cycles and gaps this many times shorter (swarm plans only; default 1). */
  nemesisSpeedup?: number;
}

export interface ResolvedRunOptions {
  seed: number;
  nodeCount: number;
  timeMs: number;
  tickMs: number;
  livenessBoundMs: number;
  reads: ReadMode;
  readsSource: 'seed' | 'option';
  workload: WorkloadOptions;
  plan: NemesisPlan;
  /** Bug switches on (absent: none). */
  bugs?: BugName[];
  maxSizePerMsg?: number;
  /** Absent: the engine defaults (nodeEngineSettings). */
  heartbeatTicks?: number;
  electionTicks?: number;
}

export interface LinearizabilityReport {
  verdict: 'linearizable' | 'not-linearizable' | 'unknown';
  /** One line: "linearizable", "not linearizable (<operation>)" or "unknown (<why>)". */
  text: string;
  operationCount: number;
}

export interface RunReport {
  options: ResolvedRunOptions;
  simulation: Omit<SimulationResult, 'workload'>;
  counts: { ok: number; fail: number; info: number };
  history: HistoryEvent[];
  linearizability: LinearizabilityReport | null;
  /** Whether anything failed: an invariant, liveness or linearizability. */
  failed: boolean;
}

/** Nodes a simulated cluster may have (the app draws 3 to 9). */
export const nodeCountMax = 9;
export const defaultRunTimeMs = 60_000;
export const defaultLivenessBoundMs = 10_000;
export const checkStepsMaxDefault = 20_000_000;
export const electionTicksMax = 10_000;

export function resolveRunOptions(options: RunOptions): ResolvedRunOptions {
  const nodeCount = options.nodeCount ?? 3;
  const timeMs = options.timeMs ?? defaultRunTimeMs;
  const tickMs = options.tickMs ?? 10;
  const livenessBoundMs = options.livenessBoundMs ?? defaultLivenessBoundMs;
  if (!(Number.isSafeInteger(nodeCount) && nodeCount >= 1 && nodeCount <= nodeCountMax)) {
    throw new Error(`nodes must be an integer in 1..${nodeCountMax}, got ${nodeCount}`);
  }
  for (const [name, value] of Object.entries({ timeMs, tickMs, livenessBoundMs })) {
    if (!(Number.isSafeInteger(value) && value > 0))
      throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  for (const kind of options.nemesis ?? []) {
    if (!faultKinds.includes(kind))
      throw new Error(`unknown fault "${kind}"; known: ${faultKinds.join(', ')}`);
  }
  for (const bug of options.bugs ?? []) {
    if (!isBugName(bug)) throw new Error(`unknown bug "${bug as string}"`);
  }
  const maxSizePerMsg = options.maxSizePerMsg;
  if (maxSizePerMsg !== undefined && !(Number.isSafeInteger(maxSizePerMsg) && maxSizePerMsg >= 0))
    throw new Error(`maxSizePerMsg must be a non-negative integer, got ${maxSizePerMsg}`);
  const ticks = resolveEngineTicks(options);
  const streams = createRandomStreams(options.seed);
  const seededReads = readModes[streams.stream('run').intn(readModes.length)];
  const nodeIds = Array.from({ length: nodeCount }, (_, i) => i + 1);
  const plan =
    options.plan ??
    swarmPlan({
      random: streams.stream('faults'),
      nodeIds,
      safetyMs: timeMs,
      faults: options.nemesis,
      driftPpmMax: options.driftPpmMax,
      speedup: options.nemesisSpeedup,
    });
  assertPlan(plan, nodeIds, timeMs);
  return {
    seed: options.seed,
    nodeCount,
    timeMs,
    tickMs,
    livenessBoundMs,
    reads: options.reads ?? seededReads,
    readsSource: options.reads === undefined ? 'seed' : 'option',
    workload: { ...defaultWorkloadOptions, ...options.workload },
    plan,
    bugs: [...(options.bugs ?? [])],
    maxSizePerMsg,
    ...ticks,
  };
}

/** The heartbeat and election ticks asked for, checked; {} when neither was given. */
function resolveEngineTicks(
  options: RunOptions,
): Pick<ResolvedRunOptions, 'heartbeatTicks' | 'electionTicks'> {
  const { heartbeatTicks, electionTicks } = options;
  if (heartbeatTicks === undefined && electionTicks === undefined) return {};
  const heartbeat = heartbeatTicks ?? nodeEngineSettings.heartbeatTick;
  const election = electionTicks ?? nodeEngineSettings.electionTick;
  if (!(Number.isSafeInteger(heartbeat) && Number.isSafeInteger(election)))
    throw new Error(`heartbeat and election ticks must be integers, got ${heartbeat}, ${election}`);
  if (!(heartbeat >= 1 && election > heartbeat && election <= electionTicksMax))
    throw new Error(
      `need 1 <= heartbeat ticks < election ticks <= ${electionTicksMax}, got ${heartbeat} and ${election}`,
    );
  return { heartbeatTicks: heartbeat, electionTicks: election };
}

/** The simulation a run would execute, not yet started (tests step it by hand). */
export function createSimulation(options: RunOptions): Simulation {
  return simulationOf(resolveRunOptions(options), options);
}

function simulationOf(resolved: ResolvedRunOptions, options: RunOptions): Simulation {
  return new Simulation({
    seed: resolved.seed,
    nodeCount: resolved.nodeCount,
    tickMs: resolved.tickMs,
    safetyMs: resolved.timeMs,
    livenessBoundMs: resolved.livenessBoundMs,
    readMode: resolved.reads,
    plan: resolved.plan,
    workload: resolved.workload,
    transcriptLinesKeptMax: options.transcriptLinesKeptMax,
    bugs: resolved.bugs,
    maxSizePerMsg: resolved.maxSizePerMsg,
    heartbeatTick: resolved.heartbeatTicks,
    electionTick: resolved.electionTicks,
  });
}

export function runSimulation(options: RunOptions): RunReport {
  const resolved = resolveRunOptions(options);
  const { workload, ...result } = simulationOf(resolved, options).run();
  const history = workload.history;
  const linearizability =
    result.violation === null ? checkLinearizability(history, options.checkStepsMax) : null;
  const failed =
    result.violation !== null ||
    result.liveness?.converged !== true ||
    linearizability?.verdict === 'not-linearizable';
  return {
    options: resolved,
    simulation: result,
    counts: { ...workload.counts },
    history,
    linearizability,
    failed,
  };
}

export function checkLinearizability(
  history: readonly HistoryEvent[],
  stepsMax = checkStepsMaxDefault,
): LinearizabilityReport {
  const operations = toOperations(history);
  const result = checkHistory(kvRegisterModel, operations, { stepsMax });
  return {
    verdict: result.verdict,
    text: describeVerdict(kvRegisterModel, result),
    operationCount: operations.length,
  };
}
