// A node's menu: the faults a user can inject at this node now. Each is an intervention recorded
// at the current event, so a rewind replays it and a shared URL carries it.
import type { NodeId } from '../../raft/types';
import { crashNode, healNetwork, isolateNode, pauseNode, restartNode } from '../store/run-actions';
import { useAppStore } from './use-app-store';

const pauseMs = 1_000;

export function NodeMenu({ id, x, y }: { id: NodeId; x: number; y: number }) {
  const { role, partitioned } = useAppStore((state) => ({
    role: state.nodes.find((node) => node.id === id)?.role,
    partitioned: state.cutLinks.length > 0,
  }));
  const down = role === 'down';
  return (
    <div
      className="node-menu"
      data-testid="node-menu"
      role="menu"
      style={{ left: x, top: y }}
      onClick={(event) => event.stopPropagation()}
    >
      <div className="node-menu-title">Node {id}</div>
      <button
        data-testid="node-crash"
        role="menuitem"
        disabled={down}
        onClick={() => crashNode(id)}
      >
        Crash
      </button>
      <button
        data-testid="node-restart"
        role="menuitem"
        disabled={!down}
        onClick={() => restartNode(id)}
      >
        Restart
      </button>
      <button
        data-testid="node-pause"
        role="menuitem"
        disabled={down}
        onClick={() => pauseNode(id, pauseMs)}
      >
        Pause 1 s
      </button>
      <button data-testid="node-isolate" role="menuitem" onClick={() => isolateNode(id)}>
        Isolate
      </button>
      <button
        data-testid="network-heal"
        role="menuitem"
        disabled={!partitioned}
        onClick={healNetwork}
      >
        Heal network
      </button>
    </div>
  );
}
