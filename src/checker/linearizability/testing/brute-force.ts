// A reference checker for tests: tries every order of every allowed subset of operations. It is
// exponential, so it refuses histories above a handful of operations.
import { precedes, type Operation } from '../history';
import type { Model } from '../model';

export const bruteForceOperationsMax = 9;

/**
 * True when some sequence holds every operation `mustPlace` picks, may hold any other operation
 * whose fate is not `absent`, orders the operations it holds as real time does, and is accepted
 * step by step by the model (with each operation's own fate).
 */
export function bruteForceExplains<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: readonly Operation<Input, Output>[],
  mustPlace: (operation: Operation<Input, Output>) => boolean,
): boolean {
  const candidates = operations.filter((operation) => model.fate(operation) !== 'absent');
  if (candidates.length > bruteForceOperationsMax) {
    throw new Error(`brute force is limited to ${bruteForceOperationsMax} operations`);
  }
  const must = candidates.filter(mustPlace);
  const may = candidates.filter((operation) => !mustPlace(operation));
  for (let subset = 0; subset < 1 << may.length; subset++) {
    const chosen = [...must, ...may.filter((_, index) => (subset & (1 << index)) !== 0)];
    if (
      someOrderWorks(
        model,
        chosen,
        new Array(chosen.length).fill(false),
        model.init(),
        chosen.length,
      )
    ) {
      return true;
    }
  }
  return false;
}

function someOrderWorks<State, Input, Output>(
  model: Model<State, Input, Output>,
  chosen: Operation<Input, Output>[],
  placed: boolean[],
  state: State,
  left: number,
): boolean {
  if (left === 0) return true;
  for (let i = 0; i < chosen.length; i++) {
    if (placed[i]) continue;
    // Nothing still unplaced may have to come before chosen[i].
    if (chosen.some((other, j) => !placed[j] && j !== i && precedes(other, chosen[i]))) continue;
    const result = model.step(state, chosen[i], model.fate(chosen[i]));
    if (!result.ok) continue;
    placed[i] = true;
    const works = someOrderWorks(model, chosen, placed, result.state, left - 1);
    placed[i] = false;
    if (works) return true;
  }
  return false;
}

/** Linearizable by brute force: every operation that must have happened is placed. */
export function bruteForceLinearizable<State, Input, Output>(
  model: Model<State, Input, Output>,
  operations: readonly Operation<Input, Output>[],
): boolean {
  return bruteForceExplains(model, operations, (operation) => model.fate(operation) === 'required');
}
