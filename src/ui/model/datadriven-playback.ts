// Playing a datadriven interaction file (etcd's rafttest format) one command at a time: the same
// InteractionEnv the `raftlab datadriven` command and the golden tests use, fresh per file, so
// each command's output is the text the CLI writes for it, byte for byte. After every command
// the harness's nodes are read into NodeStates, which the app's render functions already draw.
// The harness cannot be cloned or rewound, so the playback keeps each command's result: going
// back shows a kept result, going forward runs the next command.
import { noLimit } from '../../raft/config';
import { DatadrivenSyntaxError, parseDatadriven, type TestData } from '../../raft/datadriven/parse';
import type { InteractionEnv, InteractionNode } from '../../raft/rafttest/interaction-env';
import { newInteractionEnv } from '../../raft/rafttest/interaction-commands';
import { EntryType } from '../../raft/types';
import { roleOfState, type LogCell, type NodeState } from './node-state';
import { describeEntry } from '../../raft/describe';
import { kvEntryFormatter } from './kv-payload-text';

/** Commands one file may hold; etcd's longest interaction files have a few hundred. */
export const datadrivenCommandsMax = 10_000;
/** Characters a pasted or loaded file may have. */
export const datadrivenTextMax = 4_000_000;

export interface DatadrivenCommand {
  /** "file:line" of the command's directive. */
  pos: string;
  line: number;
  directive: string;
  input: string;
  /** The output the file records for it ("" when the file records none). */
  expected: string;
}

export interface DatadrivenResult {
  /** The harness's output, as `raftlab datadriven` writes it (ends in a newline). */
  output: string;
  /** Whether the output equals the one the file records. */
  matchesFile: boolean;
  nodes: NodeState[];
  /** Set when the command stopped the harness (a malformed command or an engine panic). */
  error: string | null;
}

export type DatadrivenOpen =
  { ok: true; playback: DatadrivenPlayback } | { ok: false; error: string };

function lineOf(pos: string): number {
  return Number(pos.slice(pos.lastIndexOf(':') + 1));
}

function readLog(node: InteractionNode, logCellsMax: number): LogCell[] {
  const storage = node.storage;
  const unstable = node.rawNode.raft.raftLog.unstable;
  // Unstable entries replace any stored entries at or after their offset.
  const stableLast = Math.min(storage.lastIndex(), unstable.offset - 1);
  const from = Math.max(storage.firstIndex(), stableLast + 1 - logCellsMax);
  const stable = from <= stableLast ? storage.entries(from, stableLast + 1, noLimit) : [];
  return [...stable, ...unstable.entries].slice(-logCellsMax).map((entry) => ({
    index: entry.index,
    term: entry.term,
    confChange: entry.type !== EntryType.EntryNormal,
    text: describeEntry(entry, kvEntryFormatter),
  }));
}

/** A harness node as the views draw it. */
export function readInteractionNode(node: InteractionNode, logCellsMax: number): NodeState {
  const raft = node.rawNode.raft;
  const log = readLog(node, logCellsMax);
  const stableIndex = Math.min(node.storage.lastIndex(), raft.raftLog.unstable.offset - 1);
  return {
    id: raft.id,
    role: roleOfState(raft.state, raft.isLearner),
    paused: false,
    term: raft.term,
    vote: raft.vote,
    lead: raft.lead,
    commit: raft.raftLog.committed,
    applied: raft.raftLog.applied,
    snapshotIndex: node.storage.firstIndex() - 1,
    stableIndex,
    lastIndex: raft.raftLog.lastIndex(),
    electionElapsed: raft.electionElapsed,
    electionTimeout: raft.randomizedElectionTimeout,
    log,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export class DatadrivenPlayback {
  readonly commands: DatadrivenCommand[];
  /** Results of the commands run so far, in file order. */
  readonly results: DatadrivenResult[] = [];
  private readonly env: InteractionEnv = newInteractionEnv();

  private constructor(
    readonly name: string,
    private readonly cases: TestData[],
    private readonly logCellsMax: number,
  ) {
    this.commands = cases.map((d) => ({
      pos: d.pos,
      line: lineOf(d.pos),
      directive: d.directive,
      input: d.input,
      expected: d.expected,
    }));
  }

  /** Parses the file; a malformed one is refused with a message naming its line. */
  static open(text: string, name: string, logCellsMax = 64): DatadrivenOpen {
    if (text.length > datadrivenTextMax)
      return { ok: false, error: `${name}: longer than ${datadrivenTextMax} characters` };
    let cases: TestData[];
    try {
      cases = parseDatadriven(text, name);
    } catch (error) {
      if (error instanceof DatadrivenSyntaxError) return { ok: false, error: error.message };
      return { ok: false, error: `${name}: ${errorText(error)}` };
    }
    if (cases.length === 0)
      return { ok: false, error: `${name}: no commands (a command is a line followed by ----)` };
    if (cases.length > datadrivenCommandsMax)
      return {
        ok: false,
        error: `${name}: ${cases.length} commands, more than the ${datadrivenCommandsMax} a file may have`,
      };
    return { ok: true, playback: new DatadrivenPlayback(name, cases, logCellsMax) };
  }

  /** The harness stopped at a command (its result carries the error): nothing more runs. */
  get stopped(): boolean {
    return this.results.length > 0 && this.results[this.results.length - 1].error !== null;
  }

  get finished(): boolean {
    return this.stopped || this.results.length === this.cases.length;
  }

  /** Runs the next command; null when the file is finished or the harness stopped. */
  runNext(): DatadrivenResult | null {
    if (this.finished) return null;
    const d = this.cases[this.results.length];
    let output = '';
    let error: string | null = null;
    try {
      output = this.env.handle(d);
      if (output !== '' && !output.endsWith('\n')) output += '\n';
    } catch (thrown) {
      error = `${d.pos}: ${d.directive}: ${errorText(thrown)}`;
    }
    const result: DatadrivenResult = {
      output,
      matchesFile: error === null && output === d.expected,
      nodes: this.env.nodes.map((node) => readInteractionNode(node, this.logCellsMax)),
      error,
    };
    this.results.push(result);
    return result;
  }
}
