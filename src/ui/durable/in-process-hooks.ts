// Session hooks that run each node in-process behind the worker protocol (its memory disk held by
// the endpoint), on the run's engine: what Node tests drive durable mode with instead of browser
// Workers on IndexedDB. Retired branches are only noted in `retired`.
import type { WireMessage } from '../../sim/durable/node-driver';
import { inspectableDriver } from '../../worker/browser-worker-driver';
import { inProcessEndpoint } from '../../worker/in-process';
import type { DurableRunConfig } from './durable-app-run';
import type { DurableSessionHooks } from './durable-session';

export function inProcessHooks(retired: DurableRunConfig[] = []): DurableSessionHooks {
  return {
    drivers: (config) => (made) => (init) => {
      const engine = config.engine ?? 'etcd';
      const driver = inspectableDriver(inProcessEndpoint<WireMessage>(init, undefined, engine));
      made(driver);
      return driver;
    },
    retire: async (config) => {
      retired.push(config);
    },
  };
}
