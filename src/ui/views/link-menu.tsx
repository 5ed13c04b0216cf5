// A link's menu: cut one direction or both, slow it down, make it lossy, or restore it. Each
// change is an intervention on one direction of the link, recorded at the current event.
import type { NodeId } from '../../raft/types';
import { cutLink, restoreLink, setLinkFaults } from '../store/run-actions';
import { useAppStore } from './use-app-store';
import { useMenuPlacement, type MenuAnchor } from './use-menu-placement';

const extraLatencyMs = 100;
const lossRatio = { numerator: 1, denominator: 2 };

export function LinkMenu({ a, b, anchor }: { a: NodeId; b: NodeId; anchor: MenuAnchor }) {
  const placement = useMenuPlacement(anchor);
  const { cutAtoB, cutBtoA, faulty } = useAppStore((state) => ({
    cutAtoB: state.cutLinks.some(([from, to]) => from === a && to === b),
    cutBtoA: state.cutLinks.some(([from, to]) => from === b && to === a),
    faulty: state.linkFaults.some(
      (link) => (link.from === a && link.to === b) || (link.from === b && link.to === a),
    ),
  }));
  const item = (testId: string, label: string, enabled: boolean, run: () => unknown) => (
    <button data-testid={testId} role="menuitem" disabled={!enabled} onClick={() => run()}>
      {label}
    </button>
  );
  return (
    <div
      ref={placement.ref}
      className={`node-menu ${placement.className}`}
      data-testid="link-menu"
      role="menu"
      style={placement.style}
      onClick={(event) => event.stopPropagation()}
    >
      <div className="node-menu-title">
        Link {a} ↔ {b}
      </div>
      {item('link-cut-ab', `Cut ${a} → ${b}`, !cutAtoB, () => cutLink(a, b))}
      {item('link-cut-ba', `Cut ${b} → ${a}`, !cutBtoA, () => cutLink(b, a))}
      {item('link-cut-both', 'Cut both ways', !cutAtoB || !cutBtoA, () =>
        !cutAtoB && !cutBtoA ? cutLink(a, b, true) : cutLink(cutAtoB ? b : a, cutAtoB ? a : b),
      )}
      {item('link-latency', `Add ${extraLatencyMs} ms latency`, true, () =>
        setLinkFaults(a, b, { extraLatencyMs, lossRatio: { numerator: 0, denominator: 1 } }),
      )}
      {item('link-loss', 'Lose half the messages', true, () =>
        setLinkFaults(a, b, { extraLatencyMs: 0, lossRatio }),
      )}
      {item('link-restore', 'Restore', cutAtoB || cutBtoA || faulty, () => restoreLink(a, b))}
    </div>
  );
}
