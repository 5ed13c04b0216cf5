// The workload's view of the simulation: the time, the nodes, and the event queue its requests
// and wake-ups go into. An object with references rather than closures, so that a Simulation's
// deep clone (deep-clone.ts) rewires it to the copy.
import type { NodeId } from '../raft/types';
import type { ClientRequest } from './process/kv-node';
import type { WakeToken, WorkloadHost } from './workload/clients';

/** The events the workload schedules (a subset of the simulation's). */
export type WorkloadEvent =
  | { kind: 'request'; node: NodeId; client: number; request: ClientRequest }
  | { kind: 'wake'; client: number; token: WakeToken };

export class WorkloadLink implements WorkloadHost {
  constructor(
    private readonly simulation: { readonly now: number; readonly nodeIds: readonly NodeId[] },
    private readonly queue: { push(atMs: number, event: WorkloadEvent): unknown },
    /** Which client sent each request, so a reply finds its way back. */
    private readonly clientOfRequest: Map<number, number>,
  ) {}

  get nowMs(): number {
    return this.simulation.now;
  }

  get nodeIds(): readonly NodeId[] {
    return this.simulation.nodeIds;
  }

  send(atMs: number, node: NodeId, client: number, request: ClientRequest): void {
    this.clientOfRequest.set(request.requestId, client);
    this.queue.push(atMs, { kind: 'request', node, client, request });
  }

  wake(atMs: number, client: number, token: WakeToken): void {
    this.queue.push(atMs, { kind: 'wake', client, token });
  }
}
