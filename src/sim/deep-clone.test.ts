import { describe, expect, it } from 'vitest';
import { cloneSelf, deepClone, shareStatelessFunction } from './deep-clone';

class Counter {
  count = 0;
  readonly tags = new Set<string>();
  bump(): number {
    return ++this.count;
  }
}

class Registry extends Map<number, Counter> {
  sortedKeys: number[] | null = null;
}

function moduleFunction(value: number): number {
  return value + 1;
}

describe('deepClone', () => {
  it('keeps prototypes, Map/Set subclasses, typed arrays, shared references and cycles', () => {
    const shared = new Counter();
    shared.tags.add('a');
    const registry = new Registry([[1, shared]]);
    registry.sortedKeys = [1];
    const bytes = new Uint8Array([1, 2, 3]);
    const graph: Record<string, unknown> = { registry, again: shared, bytes, step: moduleFunction };
    graph.self = graph;
    const copy = deepClone(graph);
    const copiedRegistry = copy.registry as Registry;
    expect(copiedRegistry).toBeInstanceOf(Registry);
    expect(copiedRegistry.sortedKeys).toEqual([1]);
    const copiedCounter = copiedRegistry.get(1)!;
    expect(copiedCounter).toBeInstanceOf(Counter);
    expect(copiedCounter).not.toBe(shared);
    expect(copy.again).toBe(copiedCounter);
    expect(copy.self).toBe(copy);
    expect(copiedCounter.bump()).toBe(1);
    expect(shared.count).toBe(0);
    copiedCounter.tags.add('b');
    expect([...shared.tags]).toEqual(['a']);
    (copy.bytes as Uint8Array)[0] = 9;
    expect(bytes[0]).toBe(1);
    expect(copy.step).toBe(moduleFunction);
  });

  it('shares byte arrays when asked, and lets objects clone themselves', () => {
    const bytes = new Uint8Array([1]);
    const selfCloning = {
      value: 1,
      [cloneSelf]: () => ({ value: 2 }),
    };
    const copy = deepClone({ bytes, selfCloning }, { shareBytes: true });
    expect(copy.bytes).toBe(bytes);
    expect(copy.selfCloning).toEqual({ value: 2 });
  });

  it('refuses closures, naming where they are, unless declared stateless or seeded', () => {
    let hidden = 0;
    const closure = (): number => ++hidden;
    expect(() => deepClone({ nested: { closure } })).toThrow(/root\.nested\.closure/);
    const stateless = shareStatelessFunction((x: number) => x * 2);
    expect(deepClone({ stateless }).stateless).toBe(stateless);
    const replacement = (): number => 0;
    const seeded = deepClone({ closure }, { seed: new Map([[closure, replacement]]) });
    expect(seeded.closure).toBe(replacement);
  });
});
