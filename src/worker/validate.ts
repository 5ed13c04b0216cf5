// Small validating decoders for values that crossed a worker boundary (structured clone): each
// check looks at an `unknown`, bounds every length and count BEFORE building anything from it,
// and returns a fresh, typed value or throws ProtocolError naming the path of the bad field.
// Objects must have exactly the declared keys (optional ones may be absent).

/** A malformed protocol value: where (`path`) and what is wrong. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

export type Check<T> = (value: unknown, path: string) => T;

/** Most keys an object may have (the widest message shape has 14). */
const objectKeysMax = 32;

export function safeInt(min = 0, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ProtocolError(path, 'expected an integer');
    if (value < min || value > max) throw new ProtocolError(path, `${value} outside [${min}, ${max}]`);
    return value;
  };
}

export const bool: Check<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ProtocolError(path, 'expected a boolean');
  return value;
};

/** A string of at most `lengthMax` UTF-16 code units. */
export function string(lengthMax: number): Check<string> {
  return (value, path) => {
    if (typeof value !== 'string') throw new ProtocolError(path, 'expected a string');
    if (value.length > lengthMax) throw new ProtocolError(path, `string of ${value.length} exceeds ${lengthMax}`);
    return value;
  };
}

export function literal<T extends string | number | boolean>(expected: T): Check<T> {
  return (value, path) => {
    if (value !== expected) throw new ProtocolError(path, `expected ${JSON.stringify(expected)}`);
    return expected;
  };
}

export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (value, path) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw new ProtocolError(path, `expected one of ${values.join(', ')}`);
    }
    return value as T;
  };
}

/** A copy of a byte array of at most `lengthMax` bytes. */
export function bytes(lengthMax: number): Check<Uint8Array> {
  return (value, path) => {
    if (!(value instanceof Uint8Array)) throw new ProtocolError(path, 'expected bytes');
    if (value.length > lengthMax) throw new ProtocolError(path, `${value.length} bytes exceed ${lengthMax}`);
    return new Uint8Array(value);
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value, path) => (value === null ? null : check(value, path));
}

export function array<T>(check: Check<T>, lengthMax: number): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new ProtocolError(path, 'expected an array');
    if (value.length > lengthMax) throw new ProtocolError(path, `${value.length} items exceed ${lengthMax}`);
    const out: T[] = [];
    for (let i = 0; i < value.length; i++) out.push(check(value[i], `${path}[${i}]`));
    return out;
  };
}

export function pair<A, B>(first: Check<A>, second: Check<B>): Check<[A, B]> {
  return (value, path) => {
    if (!Array.isArray(value) || value.length !== 2) throw new ProtocolError(path, 'expected a pair');
    return [first(value[0], `${path}[0]`), second(value[1], `${path}[1]`)];
  };
}

type Shape<T> = { [K in keyof T]-?: Check<T[K]> };

/** An object with exactly these keys; keys in `optionalKeys` may be absent (or undefined). */
export function object<T>(shape: Shape<T>, optionalKeys: readonly (keyof T)[] = []): Check<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      throw new ProtocolError(path, 'expected an object');
    }
    const record = value as Record<string, unknown>;
    let count = 0;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      if (++count > objectKeysMax || !Object.prototype.hasOwnProperty.call(shape, key)) {
        throw new ProtocolError(`${path}.${key.slice(0, 40)}`, 'unexpected field');
      }
    }
    const out = {} as T;
    for (const key of keys) {
      const field = record[key];
      if (field === undefined && optionalKeys.includes(key)) continue;
      if (!Object.prototype.hasOwnProperty.call(record, key)) throw new ProtocolError(`${path}.${key}`, 'missing field');
      out[key] = shape[key](field, `${path}.${key}`);
    }
    return out;
  };
}

/** A union told apart by the string field `tag`. */
export function tagged<T>(tag: string, cases: Record<string, Check<T>>): Check<T> {
  return (value, path) => {
    if (typeof value !== 'object' || value === null) throw new ProtocolError(path, 'expected an object');
    const kind = (value as Record<string, unknown>)[tag];
    if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(cases, kind)) {
      throw new ProtocolError(`${path}.${tag}`, `expected one of ${Object.keys(cases).join(', ')}`);
    }
    return cases[kind](value, path);
  };
}
