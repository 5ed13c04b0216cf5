// The run's transcript: one line per simulated event, hashed as it is written. Two runs with the
// same seed and options must produce the same lines, so the hash is the run's fingerprint.
import { Sha256 } from './hash/sha256';

export interface TranscriptOptions {
  /** Lines kept in memory for inspection (tests, traces); the hash always covers every line. */
  linesKeptMax?: number;
}

export class Transcript {
  private readonly hash = new Sha256();
  private readonly kept: string[] = [];
  private readonly linesKeptMax: number;
  private digest: string | null = null;
  lineCount = 0;

  constructor(options: TranscriptOptions = {}) {
    this.linesKeptMax = options.linesKeptMax ?? 0;
    if (!(Number.isSafeInteger(this.linesKeptMax) && this.linesKeptMax >= 0)) {
      throw new Error(`linesKeptMax must be a non-negative integer, got ${this.linesKeptMax}`);
    }
  }

  write(line: string): void {
    if (this.digest !== null) throw new Error('transcript already finished');
    if (line.includes('\n')) throw new Error(`a transcript line holds a newline: ${line}`);
    this.hash.updateText(line);
    this.hash.updateByte(0x0a);
    this.lineCount++;
    if (this.kept.length < this.linesKeptMax) this.kept.push(line);
  }

  /** The first lines, up to linesKeptMax. */
  get lines(): readonly string[] {
    return this.kept;
  }

  /** SHA-256 of every line, each followed by "\n"; the transcript takes no lines after this. */
  finish(): string {
    if (this.digest === null) this.digest = this.hash.digestHex();
    return this.digest;
  }
}
