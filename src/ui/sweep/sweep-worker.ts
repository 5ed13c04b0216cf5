// The background sweep's Web Worker: runs one seed per message and answers with its outcome.
// The pool hands out seeds one at a time, so a slow seed never holds the others back.
import { runSweepJob, type SweepJob } from './sweep-protocol';

self.onmessage = (event: MessageEvent<SweepJob>) => {
  self.postMessage(runSweepJob(event.data));
};
