// Typed access to a test case's arguments, after datadriven's ScanArgs and CmdArg.Scan. Every
// error names the case's file:line.
import { goQuote } from '../encoding/conf-change';
import type { CmdArg, TestData } from './parse';

/** A bad or missing argument; the message starts with "file:line: ". */
export class DatadrivenArgError extends Error {
  override name = 'DatadrivenArgError';
}

function fail(d: TestData, message: string): never {
  throw new DatadrivenArgError(`${d.pos}: ${message}`);
}

/** Whether the case has an argument named `key`. */
export function hasArg(d: TestData, key: string): boolean {
  return d.cmdArgs.some((arg) => arg.key === key);
}

/** The first argument named `key`, or undefined. */
export function findArg(d: TestData, key: string): CmdArg | undefined {
  return d.cmdArgs.find((arg) => arg.key === key);
}

/** The first argument named `key`; throws "missing argument: key" when there is none. */
export function scanArg(d: TestData, key: string): CmdArg {
  return findArg(d, key) ?? fail(d, `missing argument: ${key}`);
}

/** The single value of argument `key` (ScanArgs with one destination). */
function singleValue(d: TestData, key: string): { arg: CmdArg; index: number } {
  const arg = scanArg(d, key);
  if (arg.vals.length !== 1) fail(d, `${key}: got 1 destinations, but ${arg.vals.length} values`);
  return { arg, index: 0 };
}

function value(d: TestData, arg: CmdArg, index: number): string {
  if (index < 0 || index >= arg.vals.length)
    fail(d, `cannot scan index ${index} of key ${arg.key}`);
  return arg.vals[index];
}

/** Value `index` of `arg` as a string. */
export function cmdArgString(d: TestData, arg: CmdArg, index: number): string {
  return value(d, arg, index);
}

/** Value `index` of `arg` as Go's strconv.ParseInt(v, 10, 64) reads it. */
export function cmdArgInt(d: TestData, arg: CmdArg, index: number): number {
  const text = value(d, arg, index);
  if (!/^[+-]?[0-9]+$/.test(text))
    fail(d, `strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
  const parsed = Number(text);
  if (!Number.isSafeInteger(parsed)) {
    fail(d, `strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
  }
  return parsed;
}

/** Value `index` of `arg` as Go's strconv.ParseUint(v, 10, 64) reads it. */
export function cmdArgUint(d: TestData, arg: CmdArg, index: number): number {
  const text = value(d, arg, index);
  if (!/^[0-9]+$/.test(text))
    fail(d, `strconv.ParseUint: parsing ${goQuote(text)}: invalid syntax`);
  const parsed = Number(text);
  if (!Number.isSafeInteger(parsed)) {
    fail(d, `strconv.ParseUint: parsing ${goQuote(text)}: value out of range`);
  }
  return parsed;
}

const goTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const goFalse = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Value `index` of `arg` as Go's strconv.ParseBool reads it. */
export function cmdArgBool(d: TestData, arg: CmdArg, index: number): boolean {
  const text = value(d, arg, index);
  if (goTrue.has(text)) return true;
  if (goFalse.has(text)) return false;
  return fail(d, `strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`);
}

/** The single value of argument `key` as a string. */
export function argString(d: TestData, key: string): string {
  const { arg, index } = singleValue(d, key);
  return cmdArgString(d, arg, index);
}

/** The single value of argument `key` as a signed integer. */
export function argInt(d: TestData, key: string): number {
  const { arg, index } = singleValue(d, key);
  return cmdArgInt(d, arg, index);
}

/** The single value of argument `key` as an unsigned integer. */
export function argUint(d: TestData, key: string): number {
  const { arg, index } = singleValue(d, key);
  return cmdArgUint(d, arg, index);
}

/** The single value of argument `key` as a bool. */
export function argBool(d: TestData, key: string): boolean {
  const { arg, index } = singleValue(d, key);
  return cmdArgBool(d, arg, index);
}
