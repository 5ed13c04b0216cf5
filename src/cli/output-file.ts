// Output files the commands write (traces, shrunk scenarios, peers files): a path that cannot be
// written is a clear error naming the path and the reason, never a stack trace.
import { writeFile } from 'node:fs/promises';

/** Writes an output file; a message "cannot write PATH: reason" when it cannot. */
export async function writeOutput(path: string, text: string): Promise<string | null> {
  try {
    await writeFile(path, text);
    return null;
  } catch (error) {
    return cannotWrite(path, error);
  }
}

/** "cannot write PATH: reason (CODE)" for a failed write. */
export function cannotWrite(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return `cannot write ${path}: ${message}`;
  // Node says "ENOENT: no such file or directory, open 'PATH'": keep the reason, then the code.
  // (A storage FsError repeats the code in front.)
  const prefix = `${code}: `;
  let reason = message;
  while (reason.startsWith(prefix)) reason = reason.slice(prefix.length);
  if (reason !== message) reason = reason.split(', ')[0];
  return `cannot write ${path}: ${reason} (${code})`;
}
