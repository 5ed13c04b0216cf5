// The run's transcript: one line per simulated event, hashed as it is written. Two runs with the
// same seed and options must produce the same lines, so the hash is the run's fingerprint.
//
// Hot: a run writes ~100 KB of transcript per simulated second. A line is written piece by piece
// (open, text, int, close) as ASCII bytes into a buffer, and the buffer is hashed in blocks of
// tens of kilobytes, so no string is built for a line unless someone reads it (kept lines,
// listeners, a violation report). `write(line)` takes a whole string and gives the same bytes.
import { cloneSelf, type SelfCloning } from './deep-clone';
import { utf8Bytes } from './hash/sha256';
import { createStreamingSha256, type StreamingHash } from './hash/streaming-sha256';

export interface TranscriptOptions {
  /** Lines kept in memory for inspection (tests, traces); the hash always covers every line. */
  linesKeptMax?: number;
}

/** Where a line's pieces go: the transcript's bytes, or a string (TextBuilder). */
export interface TextSink {
  /** Appends a string (no newlines). */
  text(text: string): void;
  /** Appends a number as `${value}` would. */
  int(value: number): void;
}

/** A TextSink that builds a string, for the describe* functions' string forms. */
export class TextBuilder implements TextSink {
  value = '';
  text(text: string): void {
    this.value += text;
  }
  int(value: number): void {
    this.value += value;
  }
}

/** Bytes buffered before they are hashed; a line longer than the rest grows the buffer. */
export const transcriptBufferBytes = 64 * 1024;
/** Hash and empty the buffer when a line starts beyond this. */
const flushAtBytes = transcriptBufferBytes / 2;
/** Digits of the largest safe integer, 2^53 - 1. */
const safeIntegerDigitsMax = 16;

export class Transcript implements TextSink, SelfCloning {
  private hash: StreamingHash = createStreamingSha256();
  private kept: string[] = [];
  private readonly linesKeptMax: number;
  private digest: string | null = null;
  private buffer = new Uint8Array(transcriptBufferBytes);
  /** Bytes in the buffer, not yet hashed. */
  private length = 0;
  /** Where the open line starts in the buffer; -1 when no line is open. */
  private lineStart = -1;
  /** The last closed line's bytes in the buffer, [lastStart, lastEnd) (until the next open). */
  private lastStart = 0;
  private lastEnd = 0;
  lineCount = 0;

  constructor(options: TranscriptOptions = {}) {
    this.linesKeptMax = options.linesKeptMax ?? 0;
    if (!(Number.isSafeInteger(this.linesKeptMax) && this.linesKeptMax >= 0)) {
      throw new Error(`linesKeptMax must be a non-negative integer, got ${this.linesKeptMax}`);
    }
  }

  /** A copy in the same state: its own buffer and hash state (clones share byte arrays). */
  [cloneSelf](): Transcript {
    const copy = new Transcript({ linesKeptMax: this.linesKeptMax });
    copy.hash = this.hash.copy();
    copy.kept = [...this.kept];
    copy.digest = this.digest;
    copy.buffer = this.buffer.slice();
    copy.length = this.length;
    copy.lineStart = this.lineStart;
    copy.lastStart = this.lastStart;
    copy.lastEnd = this.lastEnd;
    copy.lineCount = this.lineCount;
    return copy;
  }

  /** Writes one whole line. */
  write(line: string): void {
    this.open();
    this.text(line);
    this.close();
  }

  /** Starts a line; its pieces follow (text, int), then close. */
  open(): void {
    if (this.digest !== null) throw new Error('transcript already finished');
    if (this.lineStart >= 0) throw new Error('transcript line already open');
    if (this.length > flushAtBytes) this.flush();
    this.lineStart = this.length;
  }

  text(text: string): void {
    const count = text.length;
    if (this.length + count > this.buffer.length) this.grow(count);
    const buffer = this.buffer;
    let length = this.length;
    for (let i = 0; i < count; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80 || code === 0x0a) {
        this.length = length;
        this.textSlow(text.slice(i));
        return;
      }
      buffer[length++] = code;
    }
    this.length = length;
  }

  int(value: number): void {
    if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) {
      this.smallInt(value);
      return;
    }
    if (!(Number.isSafeInteger(value) && value >= 0)) {
      this.text(String(value));
      return;
    }
    if (this.length + safeIntegerDigitsMax > this.buffer.length) this.grow(safeIntegerDigitsMax);
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    const buffer = this.buffer;
    let at = this.length + digits;
    this.length = at;
    let rest = value;
    do {
      const next = Math.floor(rest / 10);
      buffer[--at] = 0x30 + (rest - next * 10);
      rest = next;
    } while (rest > 0);
  }

  /** int() for 0 <= value < 2^31 (nearly every number written), in int32 arithmetic. */
  private smallInt(value: number): void {
    if (this.length + safeIntegerDigitsMax > this.buffer.length) this.grow(safeIntegerDigitsMax);
    const buffer = this.buffer;
    if (value < 10) {
      buffer[this.length++] = 0x30 + value;
      return;
    }
    let digits = 2;
    for (let bound = 100; digits < 10 && value >= bound; bound *= 10) digits++;
    let at = this.length + digits;
    this.length = at;
    let rest = value | 0;
    do {
      const next = (rest / 10) | 0;
      buffer[--at] = 0x30 + rest - next * 10;
      rest = next;
    } while (rest !== 0);
  }

  /** Ends the open line: "\n" is hashed after it, and it is kept if there is room. */
  close(): void {
    if (this.lineStart < 0) throw new Error('no transcript line open');
    if (this.length + 1 > this.buffer.length) this.grow(1);
    this.lastStart = this.lineStart;
    this.lastEnd = this.length;
    this.lineStart = -1;
    this.buffer[this.length++] = 0x0a;
    this.lineCount++;
    if (this.kept.length < this.linesKeptMax) this.kept.push(this.lastLine());
  }

  /** The text of the line closed last. */
  lastLine(): string {
    if (this.lineStart >= 0) throw new Error('a transcript line is still open');
    return decodeUtf8(this.buffer, this.lastStart, this.lastEnd);
  }

  /** The first lines, up to linesKeptMax. */
  get lines(): readonly string[] {
    return this.kept;
  }

  /** SHA-256 of every line, each followed by "\n"; the transcript takes no lines after this. */
  finish(): string {
    if (this.digest === null) {
      if (this.lineStart >= 0) throw new Error('a transcript line is still open');
      this.flush();
      this.digest = this.hash.digestHex();
    }
    return this.digest;
  }

  /** Non-ASCII text (UTF-8 encoded) or a newline (refused). */
  private textSlow(text: string): void {
    if (text.includes('\n')) {
      const line =
        (this.lineStart >= 0 ? decodeUtf8(this.buffer, this.lineStart, this.length) : '') + text;
      throw new Error(`a transcript line holds a newline: ${line}`);
    }
    const bytes = utf8Bytes(text);
    if (this.length + bytes.length > this.buffer.length) this.grow(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Hashes the buffered bytes before the open line (if any) and moves that line to the front. */
  private flush(): void {
    const end = this.lineStart >= 0 ? this.lineStart : this.length;
    this.hash.updateRange(this.buffer, 0, end);
    this.buffer.copyWithin(0, end, this.length);
    this.length -= end;
    if (this.lineStart >= 0) this.lineStart = 0;
    this.lastStart = this.lastEnd = 0;
  }

  /** Makes room for `count` more bytes: hashes what it can, then doubles the buffer if needed. */
  private grow(count: number): void {
    const before = this.lineStart >= 0 ? this.lineStart : this.length;
    if (before > 0) this.flush();
    if (this.length + count <= this.buffer.length) return;
    let size = this.buffer.length;
    while (size < this.length + count) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buffer.subarray(0, this.length));
    this.buffer = bigger;
  }
}

/** UTF-8 bytes back to a string (ASCII the fast way). */
function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return decodeUtf8Slow(bytes, start, end);
  let text = '';
  for (let from = start; from < end; from += decodeChunkBytes) {
    const chunk = bytes.subarray(from, Math.min(end, from + decodeChunkBytes));
    text += String.fromCharCode.apply(null, chunk as unknown as number[]);
  }
  return text;
}

/** Bytes decoded per String.fromCharCode call (well below engines' argument limits). */
const decodeChunkBytes = 4096;

function decodeUtf8Slow(bytes: Uint8Array, start: number, end: number): string {
  const points: number[] = [];
  for (let i = start; i < end;) {
    const byte = bytes[i];
    const count = byte < 0x80 ? 1 : byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
    let point = count === 1 ? byte : byte & (0xff >> (count + 1));
    for (let k = 1; k < count; k++) point = (point << 6) | (bytes[i + k] & 0x3f);
    points.push(point);
    i += count;
  }
  return String.fromCodePoint(...points);
}
