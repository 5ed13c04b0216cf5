// The interaction harness's logger and output buffer in one, like etcd's rafttest RedirectLogger:
// the engine's log lines and the harness's own output land in the same buffer, so a golden file
// shows them interleaved in the order they happened. At LogLevel.None everything is silenced,
// including the harness's output (errors are still reported by the caller).
import { LogLevel, RaftPanic, logLevelNames, type Logger } from '../logger';

/** The level names the `log-level` command accepts, in LogLevel order (etcd's lvlNames). */
export const redirectLevelNames = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'NONE'] as const;

export class RedirectLogger implements Logger {
  /** Lines below this level are dropped; LogLevel.None drops everything. */
  level: LogLevel = LogLevel.Debug;
  private buffer = '';

  /** True at LogLevel.None, where nothing at all is written. */
  quiet(): boolean {
    return this.level === LogLevel.None;
  }

  /** Appends harness output unless the logger is quiet. */
  write(text: string): void {
    if (this.quiet()) return;
    this.buffer += text;
  }

  get length(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.buffer = '';
  }

  toString(): string {
    return this.buffer;
  }

  /** Hands back the buffer's content and starts an empty one (for indented sections). */
  takeBuffer(): string {
    const content = this.buffer;
    this.buffer = '';
    return content;
  }

  /** Replaces the buffer's content, bypassing the quiet check (the text was already filtered). */
  restoreBuffer(content: string): void {
    this.buffer = content;
  }

  debug(text: string): void {
    this.print(LogLevel.Debug, text);
  }

  info(text: string): void {
    this.print(LogLevel.Info, text);
  }

  warning(text: string): void {
    this.print(LogLevel.Warn, text);
  }

  error(text: string): void {
    this.print(LogLevel.Error, text);
  }

  fatal(text: string): never {
    this.print(LogLevel.Fatal, text);
    throw new RaftPanic(text);
  }

  panic(text: string): never {
    this.print(LogLevel.Fatal, text);
    throw new RaftPanic(text);
  }

  private print(level: Exclude<LogLevel, LogLevel.None>, text: string): void {
    if (this.level > level) return;
    this.buffer += `${logLevelNames[level]} ${text}`;
    // etcd's printf adds the newline only where the format did not end with one.
    if (!text.endsWith('\n')) this.buffer += '\n';
  }
}

/** Sets the logger's level from a name, case-insensitively; returns an error text when unknown. */
export function parseLogLevel(name: string): LogLevel | null {
  const index = redirectLevelNames.findIndex((known) => known.toLowerCase() === name.toLowerCase());
  return index < 0 ? null : (index as LogLevel);
}

/** Indents each line of text by two spaces, as etcd's withIndent does with a line scanner. */
export function indentLines(text: string): string {
  if (text === '') return '';
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => `  ${line.endsWith('\r') ? line.slice(0, -1) : line}\n`).join('');
}
