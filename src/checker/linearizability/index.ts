// Linearizability checking of client histories (Wing–Gong–Lowe search, per partition).
export { checkHistory, describeVerdict, linearizationOf } from './check';
export type { CheckOptions, CheckResult, PartitionResult } from './check';
export { checkStepsMaxDefault, checkCacheBytesMaxDefault } from './check';
export { assertWellFormed, describeLines, precedes } from './history';
export type { Completion, Operation, ProcessId } from './history';
export { defaultFate } from './model';
export type { Fate, Model, Partition, StepResult } from './model';
export { createRegisterModel, registerModel } from './register-model';
export type {
  RegisterInput,
  RegisterOutput,
  RegisterValue,
  RegisterModelOptions,
} from './register-model';
export { kvModel } from './kv-model';
export type { KvInput, KvOutput, KvState } from './kv-model';
export type { LinearizationStep, PartitionFailure, PartitionOutcome } from './search';
export { parseKvHistory, parseRegisterHistory, detectFormat } from './jepsen/histories';
export type { HistoryParseError, ParseResult } from './jepsen/events';
