// Anchored removal: dropping a step changes the run after it, so the later steps, left at their
// old times, no longer hit what they hit (a crash two milliseconds after a leader's commit lands
// somewhere else). Each step is anchored to the last moment before it (a node became leader or
// candidate, a leader's commit index moved; see shrink-observe.ts) after the step before it,
// or to that step when no moment came between. After a drop, the later steps are placed one by
// one at the same distance from the same kind of moment of the same node in the new run.
// Placing a step at t leaves the run before t as it was, so each placement needs one run.
import { aimKinds, observe, type Moment, type MomentKind } from './shrink-observe';
import type { NodeId } from '../raft/types';
import { endOf } from './shrink-candidates';
import type { ScenarioJson, StepJson } from './shrink-scenario';

/** Where a step sits relative to the run: after a moment, or after the step before it. */
export interface Anchor {
  moment: Pick<Moment, 'kind' | 'node'> | null;
  /** Moments of that kind and node between the step before and the anchor. */
  ordinal: number;
  offsetMs: number;
}

const isAimKind = (kind: MomentKind): boolean => (aimKinds as readonly MomentKind[]).includes(kind);

/** Each step's anchor in the run its scenario makes (moments from observe()). */
export function anchorsOf(steps: readonly StepJson[], moments: readonly Moment[]): Anchor[] {
  return steps.map((step, j) => {
    const previousMs = j === 0 ? 0 : steps[j - 1].atMs;
    const between = moments.filter(
      (m) => m.atMs >= previousMs && m.atMs < step.atMs && isAimKind(m.kind),
    );
    const anchor = between[between.length - 1];
    if (anchor === undefined) return { moment: null, ordinal: 0, offsetMs: step.atMs - previousMs };
    const ordinal = between.filter((m) => m.kind === anchor.kind && m.node === anchor.node).length;
    return {
      moment: { kind: anchor.kind, node: anchor.node },
      ordinal: ordinal - 1,
      offsetMs: step.atMs - anchor.atMs,
    };
  });
}

/** A step with its anchor, as a reduction leaves it. */
export interface AnchoredStep {
  step: StepJson;
  anchor: Anchor;
}

export interface ReanchorOptions {
  best: ScenarioJson;
  /** The steps the candidate keeps (or changes), in order, with their anchors in best's run. */
  template: readonly AnchoredStep[];
  /** The steps before this index keep their times (the run before them is unchanged). */
  from: number;
  /** Spends one run; false when no run is left. */
  spendRun: () => boolean;
}

/**
 * The template's steps from `from` on, each placed at its anchor; null if out of runs. When the
 * anchor's node has no such moment in the new run but another node has (the roles came out the
 * other way round), that node takes the anchor's node's part in this and the later steps.
 */
export function reanchored(options: ReanchorOptions): ScenarioJson | null {
  const { best, template, from, spendRun } = options;
  const placed: StepJson[] = template.slice(0, from).map(({ step }) => step);
  const part = new Map<NodeId, NodeId>();
  const playedBy = (node: NodeId): NodeId => part.get(node) ?? node;
  for (const { step, anchor } of template.slice(from)) {
    const previousMs = placed.length === 0 ? 0 : placed[placed.length - 1].atMs;
    let atMs = previousMs + anchor.offsetMs;
    if (anchor.moment !== null) {
      if (!spendRun()) return null;
      const { moments } = observe({ ...best, steps: placed });
      const { kind, node } = anchor.moment;
      const after = moments.filter((moment) => moment.atMs >= previousMs && moment.kind === kind);
      let found = after.filter((moment) => moment.node === playedBy(node))[anchor.ordinal];
      if (found === undefined && after.length > 0) {
        found = after[0];
        swapParts(part, node, found.node, best.nodes);
      }
      atMs = found === undefined ? Math.max(previousMs, step.atMs) : found.atMs + anchor.offsetMs;
    }
    if (atMs >= best.timeMs) break;
    placed.push({ ...withNodes(step, playedBy), atMs });
  }
  return { ...best, steps: placed };
}

/** Lets `actual` play `node`'s part, and whoever played `actual`'s part play the old one's. */
function swapParts(part: Map<NodeId, NodeId>, node: NodeId, actual: NodeId, nodes: number): void {
  const current = part.get(node) ?? node;
  if (current === actual) return;
  for (let other = 1; other <= nodes; other++) {
    if ((part.get(other) ?? other) === actual) part.set(other, current);
  }
  part.set(node, actual);
}

/** The step with every node it names replaced by the node playing that part. */
function withNodes(step: StepJson, playedBy: (node: NodeId) => NodeId): StepJson {
  const result: StepJson = { ...step };
  if (typeof step.node === 'number') result.node = playedBy(step.node);
  if (step.shape !== undefined) {
    const shape = { ...(step.shape as Record<string, unknown>) };
    for (const [key, value] of Object.entries(shape)) {
      if (typeof value === 'number') shape[key] = playedBy(value);
      else if (Array.isArray(value)) shape[key] = mapDeep(value, playedBy);
    }
    result.shape = shape;
  }
  return result;
}

function mapDeep(value: unknown[], playedBy: (node: NodeId) => NodeId): unknown[] {
  return value.map((item) =>
    typeof item === 'number'
      ? playedBy(item)
      : Array.isArray(item)
        ? mapDeep(item, playedBy)
        : item,
  );
}

/** One anchored reduction: the steps it keeps and the first one whose time may move. */
export interface AnchoredEdit {
  template: AnchoredStep[];
  from: number;
}

/**
 * The anchored reductions of a scenario, latest first within each kind: a fault with its end
 * dropped, one step dropped, a crash and its restart as one pause, the first steps dropped.
 */
export function anchoredEdits(
  steps: readonly StepJson[],
  anchors: readonly Anchor[],
): AnchoredEdit[] {
  const all: AnchoredStep[] = steps.map((step, i) => ({ step, anchor: anchors[i] }));
  const without = (...drop: number[]): AnchoredEdit => ({
    template: all.filter((_, j) => !drop.includes(j)),
    from: Math.min(...drop),
  });
  const edits: AnchoredEdit[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const end = endOf(steps, i);
    if (end !== null) edits.push(without(i, end));
  }
  for (let i = steps.length - 1; i >= 0; i--) edits.push(without(i));
  for (let i = steps.length - 1; i >= 0; i--) {
    const end = endOf(steps, i);
    if (steps[i].action !== 'crash' || end === null) continue;
    const { step, anchor } = all[i];
    const pause = {
      atMs: step.atMs,
      action: 'pause',
      node: step.node,
      durationMs: steps[end].atMs - step.atMs,
    };
    const template = all
      .filter((_, j) => j !== end)
      .map((item, j) => (j === i ? { step: pause, anchor } : item));
    edits.push({ template, from: i });
  }
  for (let count = 2; count < steps.length; count++)
    edits.push({ template: all.slice(count), from: 0 });
  return edits;
}
