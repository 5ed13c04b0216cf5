// The engine logs through an injected Logger, as etcd/raft does. Lines carry etcd's wording;
// the interaction harness prints them as "LEVEL text", and the app's event log shows the same text.

export enum LogLevel {
  Debug = 0,
  Info = 1,
  Warn = 2,
  Error = 3,
  Fatal = 4,
  None = 5,
}

export const logLevelNames: Record<Exclude<LogLevel, LogLevel.None>, string> = {
  [LogLevel.Debug]: 'DEBUG',
  [LogLevel.Info]: 'INFO',
  [LogLevel.Warn]: 'WARN',
  [LogLevel.Error]: 'ERROR',
  [LogLevel.Fatal]: 'FATAL',
};

export interface Logger {
  debug(text: string): void;
  info(text: string): void;
  warning(text: string): void;
  error(text: string): void;
  /** Logs and throws: the engine cannot go on (etcd's Fatalf). */
  fatal(text: string): never;
  /** Logs and throws: a broken invariant (etcd's Panicf). */
  panic(text: string): never;
}

/** Thrown by Logger.fatal and Logger.panic, and by engine assertions. */
export class RaftPanic extends Error {
  override name = 'RaftPanic';
}

/** A logger that keeps nothing; fatal and panic still throw. */
export const discardLogger: Logger = {
  debug: () => {},
  info: () => {},
  warning: () => {},
  error: () => {},
  fatal: (text) => {
    throw new RaftPanic(text);
  },
  panic: (text) => {
    throw new RaftPanic(text);
  },
};

/** A logger that hands each line, with its level, to a sink (the harness, the app's event log). */
export function sinkLogger(sink: (level: LogLevel, text: string) => void): Logger {
  return {
    debug: (text) => sink(LogLevel.Debug, text),
    info: (text) => sink(LogLevel.Info, text),
    warning: (text) => sink(LogLevel.Warn, text),
    error: (text) => sink(LogLevel.Error, text),
    fatal: (text) => {
      sink(LogLevel.Fatal, text);
      throw new RaftPanic(text);
    },
    panic: (text) => {
      sink(LogLevel.Fatal, text);
      throw new RaftPanic(text);
    },
  };
}
