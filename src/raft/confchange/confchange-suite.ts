// The `confchange` datadriven suite: etcd's confchange/datadriven_test.go. Commands:
//
//   simple              <changes>   a change of at most one voter, outside joint consensus
//   enter-joint [autoleave=bool] <changes>
//   leave-joint
//
// Changes use the `v1 l2 r3 u4` syntax (voter, learner, remove, update). Each file starts from
// an empty configuration; the last index grows by one with every command, so new members show
// when they were added (their next index).
import { argBool, type TestData } from '../datadriven';
import { confChangesFromString } from '../encoding/conf-change';
import type { ConfChangeSingle } from '../types';
import { ProgressTracker } from '../tracker/tracker';
import { Changer, ConfChangeError, type ConfChangeResult } from './confchange';

/** The maxInflight etcd's harness uses. */
const harnessMaxInflight = 10;

function run(
  changer: Changer,
  d: TestData,
  changes: ConfChangeSingle[],
): ConfChangeResult | string {
  switch (d.cmd) {
    case 'simple':
      return changer.simple(...changes);
    case 'enter-joint': {
      const autoLeave = d.cmdArgs.length > 0 ? argBool(d, 'autoleave') : false;
      return changer.enterJoint(autoLeave, ...changes);
    }
    case 'leave-joint':
      if (changes.length > 0) return 'this command takes no input\n';
      return changer.leaveJoint();
    default:
      return 'unknown command';
  }
}

/** A handler with its own configuration, for one file. */
export function createConfChangeHandler(): (d: TestData) => string {
  const tracker = new ProgressTracker(harnessMaxInflight, 0);
  const changer = new Changer(tracker, 0);
  return (d) => {
    try {
      let changes: ConfChangeSingle[];
      try {
        changes = confChangesFromString(d.input);
      } catch (error) {
        return (error as Error).message;
      }
      let result: ConfChangeResult | string;
      try {
        result = run(changer, d, changes);
      } catch (error) {
        if (error instanceof ConfChangeError) return `${error.message}\n`;
        throw error;
      }
      if (typeof result === 'string') return result;
      tracker.config = result.config;
      tracker.progress = result.progress;
      return `${tracker.config.string()}\n${tracker.progress.string()}`;
    } finally {
      changer.lastIndex++;
    }
  };
}

export const confChangeSuite = {
  name: 'confchange',
  description: "etcd's confchange package: simple and joint configuration changes",
  createHandler: createConfChangeHandler,
};
