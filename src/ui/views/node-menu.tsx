// A node's menu: what a person can do to this node now. Each is an intervention recorded at the
// current event, so a rewind replays it, a shared URL carries it and an exported trace keeps it.
import type { NodeId } from '../../raft/types';
import {
  campaign,
  changeMembership,
  crashNode,
  healNetwork,
  isolateNode,
  pauseNode,
  restartNode,
  transferLeadership,
} from '../store/run-actions';
import { useAppStore } from './use-app-store';
import { useMenuPlacement, type MenuAnchor } from './use-menu-placement';

const pauseMs = 1_000;

export function NodeMenu({ id, anchor }: { id: NodeId; anchor: MenuAnchor }) {
  const placement = useMenuPlacement(anchor);
  const { role, partitioned, leader } = useAppStore((state) => ({
    role: state.nodes.find((node) => node.id === id)?.role,
    partitioned: state.cutLinks.length > 0,
    leader: state.nodes.some((node) => node.role === 'leader'),
  }));
  const down = role === 'down';
  const item = (testId: string, label: string, enabled: boolean, run: () => unknown) => (
    <button data-testid={testId} role="menuitem" disabled={!enabled} onClick={() => run()}>
      {label}
    </button>
  );
  return (
    <div
      ref={placement.ref}
      className={`node-menu ${placement.className}`}
      data-testid="node-menu"
      role="menu"
      style={placement.style}
      onClick={(event) => event.stopPropagation()}
    >
      <div className="node-menu-title">Node {id}</div>
      {item('node-crash', 'Crash', !down, () => crashNode(id))}
      {item('node-restart', 'Restart', down, () => restartNode(id))}
      {item('node-pause', 'Pause 1 s', !down, () => pauseNode(id, pauseMs))}
      {item('node-isolate', 'Isolate', true, () => isolateNode(id))}
      {item('network-heal', 'Heal network', partitioned, healNetwork)}
      <div className="menu-separator" />
      {item('node-campaign', 'Trigger election', !down && role !== 'leader', () => campaign(id))}
      {item('node-transfer', 'Transfer leadership here', leader && !down && role !== 'leader', () =>
        transferLeadership(id),
      )}
      <div className="menu-separator" />
      {item('node-remove', 'Remove from cluster', leader, () => changeMembership(id, 'remove'))}
      {item('node-add-learner', 'Add as learner', leader, () =>
        changeMembership(id, 'add-learner'),
      )}
      {item('node-add-voter', 'Add / promote to voter', leader, () =>
        changeMembership(id, 'add-voter'),
      )}
    </div>
  );
}
