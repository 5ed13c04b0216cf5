// The datadriven suites the `raftlab datadriven` command and the tests can run, by name.
// Each suite makes a fresh handler per file, so files never share state.
import { confChangeSuite } from '../confchange/confchange-suite';
import { quorumSuite } from '../quorum/quorum-suite';
import { interactionSuite } from '../rafttest/interaction-suite';
import type { TestData } from './parse';

export interface DatadrivenSuite {
  name: string;
  /** One line for usage texts. */
  description?: string;
  /** A handler with fresh state, for one file. */
  createHandler(): (d: TestData) => string;
}

/** The registered suites by name. */
export const suites: Record<string, DatadrivenSuite> = {};

/** Adds (or replaces) a suite under its name. */
export function registerSuite(suite: DatadrivenSuite): void {
  suites[suite.name] = suite;
}

registerSuite(quorumSuite);
registerSuite(confChangeSuite);

// The `interaction` suite (src/raft/rafttest) exports its suite without importing this file,
// so there is no import cycle.
registerSuite(interactionSuite);
