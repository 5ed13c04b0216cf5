// Partitions as a set of cut directed links. Every shape the nemesis knows (symmetric sides,
// one-way cuts, an isolated node, a majority/minority split, a bridge) reduces to that set, so
// delivery needs one lookup and a one-way cut is no special case.
import type { NodeId } from '../../raft/types';

export type PartitionShape =
  /** Nodes on different sides cannot talk; a node on no side is alone. */
  | { kind: 'symmetric'; sides: NodeId[][] }
  /** Messages from `from` to `to` are lost; the other direction still works. */
  | { kind: 'one-way'; from: NodeId[]; to: NodeId[] }
  | { kind: 'isolate'; node: NodeId }
  /** `majority` keeps a quorum; every other node is cut from it (and the others talk). */
  | { kind: 'majority-minority'; majority: NodeId[] }
  /** Two sides that cannot talk to each other, and one node that talks to both. */
  | { kind: 'bridge'; bridge: NodeId; sides: [NodeId[], NodeId[]] };

export const partitionKinds = [
  'symmetric',
  'one-way',
  'isolate',
  'majority-minority',
  'bridge',
] as const satisfies readonly PartitionShape['kind'][];

/** Node ids are small (<= 9), so a directed link packs into one number. */
const linkKey = (from: NodeId, to: NodeId): number => from * 1_000 + to;

export class Partitions {
  private readonly cut = new Set<number>();
  private current: PartitionShape | null = null;

  constructor(private readonly nodeIds: readonly NodeId[]) {}

  get shape(): PartitionShape | null {
    return this.current;
  }

  /** Replaces the current partition (if any) with `shape`. */
  apply(shape: PartitionShape): void {
    this.validate(shape);
    this.cut.clear();
    for (const [from, to] of cutLinks(shape, this.nodeIds)) this.cut.add(linkKey(from, to));
    this.current = shape;
  }

  heal(): void {
    this.cut.clear();
    this.current = null;
  }

  connected(from: NodeId, to: NodeId): boolean {
    return from === to || !this.cut.has(linkKey(from, to));
  }

  private validate(shape: PartitionShape): void {
    const mentioned = mentionedNodes(shape);
    for (const id of mentioned) {
      if (!this.nodeIds.includes(id))
        throw new Error(`partition names node ${id}, not in the cluster`);
    }
    if (new Set(mentioned).size !== mentioned.length) {
      throw new Error(`partition ${describePartition(shape)} names a node twice`);
    }
  }
}

/** Every node a partition shape names. */
export function mentionedNodes(shape: PartitionShape): NodeId[] {
  switch (shape.kind) {
    case 'symmetric':
      return shape.sides.flat();
    case 'one-way':
      return [...shape.from, ...shape.to];
    case 'isolate':
      return [shape.node];
    case 'majority-minority':
      return shape.majority;
    case 'bridge':
      return [shape.bridge, ...shape.sides.flat()];
  }
}

/** Every directed link the shape cuts, in a fixed order. */
export function cutLinks(shape: PartitionShape, nodeIds: readonly NodeId[]): [NodeId, NodeId][] {
  const links: [NodeId, NodeId][] = [];
  const both = (a: NodeId, b: NodeId): void => {
    links.push([a, b], [b, a]);
  };
  switch (shape.kind) {
    case 'symmetric': {
      const sideOf = new Map<NodeId, number>();
      shape.sides.forEach((side, position) => side.forEach((id) => sideOf.set(id, position)));
      for (const a of nodeIds) {
        for (const b of nodeIds) {
          if (a < b && (sideOf.get(a) ?? -a) !== (sideOf.get(b) ?? -b)) both(a, b);
        }
      }
      break;
    }
    case 'one-way':
      for (const a of shape.from) for (const b of shape.to) links.push([a, b]);
      break;
    case 'isolate':
      for (const b of nodeIds) if (b !== shape.node) both(shape.node, b);
      break;
    case 'majority-minority':
      for (const a of shape.majority) {
        for (const b of nodeIds) if (!shape.majority.includes(b)) both(a, b);
      }
      break;
    case 'bridge':
      for (const a of shape.sides[0]) for (const b of shape.sides[1]) both(a, b);
      break;
  }
  return links;
}

const list = (ids: readonly NodeId[]): string => `{${ids.join(',')}}`;

/** e.g. "symmetric {1,2}|{3}", "one-way {1}->{2,3}", "bridge 3 {1,2}|{4,5}". */
export function describePartition(shape: PartitionShape): string {
  switch (shape.kind) {
    case 'symmetric':
      return `symmetric ${shape.sides.map(list).join('|')}`;
    case 'one-way':
      return `one-way ${list(shape.from)}->${list(shape.to)}`;
    case 'isolate':
      return `isolate ${shape.node}`;
    case 'majority-minority':
      return `majority-minority ${list(shape.majority)}`;
    case 'bridge':
      return `bridge ${shape.bridge} ${list(shape.sides[0])}|${list(shape.sides[1])}`;
  }
}
