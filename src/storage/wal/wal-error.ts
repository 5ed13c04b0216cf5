// Why a WAL cannot be recovered: a damaged record that is not a torn tail, a missing segment, or
// records that contradict each other. Recovery stops the node with it: never silent loss.

export class WalCorruptionError extends Error {
  override name = 'WalCorruptionError';
  constructor(
    /** The segment file, relative to the node's root, or the wal folder. */
    readonly file: string,
    /** The byte offset in `file` where the problem starts. */
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`wal: ${detail} in ${file} at byte offset ${offset}`);
  }
}

/** A torn record at the tail of the last segment: it was cut off and is dropped. */
export interface TornTailWarning {
  kind: 'torn-tail';
  file: string;
  offset: number;
  droppedBytes: number;
  message: string;
}
