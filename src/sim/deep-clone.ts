// A structural deep copy of a simulation's whole object graph: class instances keep their
// prototypes, Maps and Sets (and their subclasses) their entries, typed arrays their own copied
// buffers, and shared or cyclic references stay shared or cyclic in the copy. It is what makes
// `Simulation.clone()` possible without a hand-written copy for every engine class.
//
// Closures cannot be copied (their captured variables are invisible), so the graph may hold only
// functions that carry no state of their own: functions declared with `function` at module level
// (the engine's step and tick functions) are shared; an arrow function or bound function must be
// mapped in advance through `seed` (or registered with `shareStatelessFunction`), and any other
// one throws, naming where it was found, so a new closure in simulation state fails loudly in
// the clone tests rather than silently tying a clone to its original.

/**
 * An object that makes its own copy (a PRNG whose state lives in a closure, a buffer of
 * immutable records that only needs a shallow copy). `clone` copies anything else it refers
 * to through the same walk, so shared references stay shared.
 */
export const cloneSelf = Symbol('cloneSelf');

export interface SelfCloning {
  [cloneSelf](clone: <T>(value: T) => T): unknown;
}

/** Objects a clone walks before giving up: a bound against a runaway graph. */
export const cloneObjectsMax = 20_000_000;

const statelessFunctions = new WeakSet<object>();

/** Declares an arrow function stateless (it captures nothing mutable), so clones may share it. */
export function shareStatelessFunction<F extends (...args: never[]) => unknown>(fn: F): F {
  statelessFunctions.add(fn);
  return fn;
}

export interface DeepCloneOptions {
  /** Pre-mapped values: each key is replaced by its value wherever it occurs. */
  seed?: Map<unknown, unknown>;
  /**
   * Shares typed arrays and their buffers instead of copying them: right when every byte array
   * in the graph is immutable once made (entry payloads, message contexts) and the mutable ones
   * copy themselves (cloneSelf). Saves most of a simulation clone's memory.
   */
  shareBytes?: boolean;
}

export function deepClone<T>(value: T, options: DeepCloneOptions = {}): T {
  const cloner = new Cloner(options.seed ?? new Map(), options.shareBytes ?? false);
  try {
    return cloner.clone(value) as T;
  } catch (error) {
    if (error instanceof ClosureFound) throw new Error(error.describe());
    throw error;
  }
}

type AnyObject = Record<string | symbol, unknown>;

class Cloner {
  private objectCount = 0;
  private readonly cloneBound = <T>(value: T): T => this.clone(value) as T;

  constructor(
    private readonly memo: Map<unknown, unknown>,
    private readonly shareBytes: boolean,
  ) {}

  clone(value: unknown): unknown {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
    const known = this.memo.get(value);
    if (known !== undefined || this.memo.has(value)) return known;
    if (++this.objectCount > cloneObjectsMax)
      throw new Error(`deepClone: more than ${cloneObjectsMax} objects (cloneObjectsMax)`);
    if (typeof value === 'function') return this.cloneFunction(value);
    if (cloneSelf in (value as object)) {
      const copy = (value as SelfCloning)[cloneSelf](this.cloneBound);
      this.memo.set(value, copy);
      return copy;
    }
    if (Array.isArray(value)) return this.cloneArray(value);
    if (value instanceof Map) return this.cloneMap(value);
    if (value instanceof Set) return this.cloneSet(value);
    if (this.shareBytes && (value instanceof ArrayBuffer || ArrayBuffer.isView(value)))
      return value;
    if (value instanceof ArrayBuffer) {
      const copy = value.slice(0);
      this.memo.set(value, copy);
      return copy;
    }
    if (ArrayBuffer.isView(value)) return this.cloneView(value);
    return this.cloneObject(value as AnyObject);
  }

  private cloneFunction(fn: unknown): unknown {
    const stateless =
      Object.prototype.hasOwnProperty.call(fn, 'prototype') || statelessFunctions.has(fn as object);
    if (!stateless) throw new ClosureFound();
    this.memo.set(fn, fn);
    return fn;
  }

  private cloneArray(array: unknown[]): unknown[] {
    const copy: unknown[] = new Array<unknown>(array.length);
    this.memo.set(array, copy);
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      copy[i] =
        item === null || (typeof item !== 'object' && typeof item !== 'function')
          ? item
          : this.clone(item);
    }
    return copy;
  }

  private cloneMap(map: Map<unknown, unknown>): Map<unknown, unknown> {
    const copy = Reflect.construct(Map, [], map.constructor) as Map<unknown, unknown>;
    this.memo.set(map, copy);
    for (const [key, item] of map) copy.set(this.clone(key), this.clone(item));
    this.copyOwnExtras(map, copy as unknown as AnyObject);
    return copy;
  }

  private cloneSet(set: Set<unknown>): Set<unknown> {
    const copy = Reflect.construct(Set, [], set.constructor) as Set<unknown>;
    this.memo.set(set, copy);
    for (const item of set) copy.add(this.clone(item));
    this.copyOwnExtras(set, copy as unknown as AnyObject);
    return copy;
  }

  private cloneView(view: ArrayBufferView): unknown {
    const buffer = this.clone(view.buffer) as ArrayBuffer;
    const Constructor = view.constructor as new (
      buffer: ArrayBuffer,
      byteOffset: number,
      length: number,
    ) => ArrayBufferView;
    const length =
      view instanceof DataView ? view.byteLength : (view as unknown as { length: number }).length;
    const copy = new Constructor(buffer, view.byteOffset, length);
    this.memo.set(view, copy);
    return copy;
  }

  private cloneObject(object: AnyObject): AnyObject {
    const copy = Object.create(Object.getPrototypeOf(object) as object | null) as AnyObject;
    this.memo.set(object, copy);
    this.copyOwnExtras(object, copy);
    if (Object.isFrozen(object)) Object.freeze(copy);
    return copy;
  }

  /**
   * Copies own properties. Plain writable data properties (every class field) are assigned; any
   * other (accessors, read-only, symbol keys) is redefined from its descriptor.
   */
  private copyOwnExtras(source: object, target: AnyObject): void {
    const record = source as AnyObject;
    for (const key of Reflect.ownKeys(source)) {
      const descriptor = Object.getOwnPropertyDescriptor(source, key)!;
      if (
        'value' in descriptor &&
        descriptor.writable === true &&
        descriptor.enumerable === true &&
        descriptor.configurable === true &&
        typeof key === 'string'
      ) {
        const item = record[key];
        target[key] =
          item === null || (typeof item !== 'object' && typeof item !== 'function')
            ? item
            : this.cloneAt(item, key);
        continue;
      }
      if ('value' in descriptor) {
        descriptor.value = this.cloneAt(descriptor.value, key);
      } else {
        if (descriptor.get !== undefined)
          descriptor.get = this.cloneAt(descriptor.get, key) as never;
        if (descriptor.set !== undefined)
          descriptor.set = this.cloneAt(descriptor.set, key) as never;
      }
      Object.defineProperty(target, key, descriptor);
    }
  }

  /** Clones a property's value, adding the key to the path of a closure found below it. */
  private cloneAt(value: unknown, key: string | symbol): unknown {
    try {
      return this.clone(value);
    } catch (error) {
      if (error instanceof ClosureFound) error.path.unshift(String(key));
      throw error;
    }
  }
}

class ClosureFound extends Error {
  readonly path: string[] = [];

  describe(): string {
    return `deepClone: a closure at ${['root', ...this.path].join('.')} cannot be copied; keep state in objects, or map it in the seed`;
  }
}
