// File-system failures as sentences a person can act on: what went wrong and on which path,
// for the CLI's data-dir and migration commands (a bad path is bad input, not a crash).
import type { FsError } from '../fs/file-system';

const explanations: Partial<Record<string, string>> = {
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'something else is already there',
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTEMPTY: 'the folder is not empty',
  ENOSPC: 'the disk is full',
  EINVAL: 'invalid path or argument',
  EIO: 'the file system refused the operation',
};

/** What a file-system error code means, in words (the code itself when it has none here). */
export function explainFsErrorCode(code: string): string {
  return explanations[code] ?? code;
}

/** `<what went wrong> (<code> on <path>)`, the path shown by `show` (a real path in the CLI). */
export function describeFsError(error: FsError, show: (path: string) => string = (path) => path): string {
  const detail = (/^[A-Z]+: (.*): "[^"]*"$/.exec(error.message)?.[1] ?? error.message).replace(/^[A-Z]+: /, '');
  return `${explainFsErrorCode(error.code)}: ${show(error.path)} (${error.code}: ${detail})`;
}
