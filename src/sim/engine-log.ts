// The engines' own log lines (etcd's wording: "became leader at term 5", "rejected MsgVote ..."),
// captured per node with the simulated time, for the app's event log. They are not part of the
// hashed transcript: the transcript describes what happened, these explain it in etcd's words,
// and they may change wording without changing a run.
import { LogLevel, RaftPanic, logLevelNames, type Logger } from '../raft/logger';
import type { NodeId } from '../raft/types';
import { cloneSelf, type SelfCloning } from './deep-clone';

/** Engine log lines a simulation keeps (the oldest are dropped first). */
export const engineLogLinesKeptMax = 20_000;

export type EngineLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

export interface EngineLogLine {
  /** Counts every captured line from the start of the run (dropped ones included). */
  sequence: number;
  node: NodeId;
  timeMs: number;
  /** Events processed when the line was logged (it belongs to the next one, or an injection). */
  eventCount: number;
  level: EngineLogLevel;
  text: string;
}

/** What the buffer needs from the simulation: the current time and event count. */
export interface EngineLogClock {
  readonly now: number;
  readonly processedEventCount: number;
}

/** A bounded ring of engine log lines, oldest first. */
export class EngineLogBuffer implements SelfCloning {
  private ring: EngineLogLine[] = [];
  /** Position of the oldest line in the ring once it is full. */
  private start = 0;
  private sequenceNext = 0;

  constructor(
    private readonly clock: EngineLogClock,
    private readonly linesKeptMax = engineLogLinesKeptMax,
  ) {
    if (!(Number.isSafeInteger(linesKeptMax) && linesKeptMax > 0))
      throw new Error(`linesKeptMax must be a positive integer, got ${linesKeptMax}`);
  }

  /** A copy for a cloned simulation: lines never change once written, so the copy shares them. */
  [cloneSelf](clone: <T>(value: T) => T): EngineLogBuffer {
    const copy = new EngineLogBuffer(clone(this.clock), this.linesKeptMax);
    copy.ring = this.ring.slice();
    copy.start = this.start;
    copy.sequenceNext = this.sequenceNext;
    return copy;
  }

  /** Lines captured since the start (including those no longer kept). */
  get lineCount(): number {
    return this.sequenceNext;
  }

  push(node: NodeId, level: LogLevel, text: string): void {
    const line: EngineLogLine = {
      sequence: this.sequenceNext++,
      node,
      timeMs: this.clock.now,
      eventCount: this.clock.processedEventCount,
      level: logLevelNames[level as Exclude<LogLevel, LogLevel.None>] as EngineLogLevel,
      text,
    };
    if (this.ring.length < this.linesKeptMax) {
      this.ring.push(line);
      return;
    }
    this.ring[this.start] = line;
    this.start = (this.start + 1) % this.linesKeptMax;
  }

  /** The kept lines with sequence >= `fromSequence`, oldest first. */
  linesSince(fromSequence = 0): EngineLogLine[] {
    const ordered = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    if (ordered.length === 0 || fromSequence <= ordered[0].sequence) return ordered;
    return ordered.slice(fromSequence - ordered[0].sequence);
  }
}

/**
 * One node's engine logger (etcd's raft.Logger) writing into a buffer: what sinkLogger does, as
 * a class, so that a Simulation holding it can be deep-cloned (closures cannot).
 */
export class EngineLogger implements Logger {
  constructor(
    private readonly buffer: EngineLogBuffer,
    private readonly node: NodeId,
  ) {}

  debug(text: string): void {
    this.buffer.push(this.node, LogLevel.Debug, text);
  }

  info(text: string): void {
    this.buffer.push(this.node, LogLevel.Info, text);
  }

  warning(text: string): void {
    this.buffer.push(this.node, LogLevel.Warn, text);
  }

  error(text: string): void {
    this.buffer.push(this.node, LogLevel.Error, text);
  }

  fatal(text: string): never {
    this.buffer.push(this.node, LogLevel.Fatal, text);
    throw new RaftPanic(text);
  }

  panic(text: string): never {
    this.buffer.push(this.node, LogLevel.Fatal, text);
    throw new RaftPanic(text);
  }
}
