import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deepClone } from './deep-clone';
import { Transcript, transcriptBufferBytes } from './transcript';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A line as pieces: strings and non-negative or odd numbers, written with text and int. */
const piece = fc.oneof(
  fc.string({ unit: 'grapheme' }).filter((text) => !text.includes('\n')),
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', '|', '@', '>') }),
  fc.nat(),
  fc.maxSafeNat(),
  fc.integer(),
  fc.double({ noNaN: true }),
);

describe('the transcript', () => {
  it('hashes each line with its newline, whether written whole or in pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 8 }), { maxLength: 40 }), (lines) => {
        const whole = new Transcript({ linesKeptMax: 1_000 });
        const pieces = new Transcript({ linesKeptMax: 1_000 });
        const texts = lines.map((parts) => parts.map((part) => `${part}`).join(''));
        for (const text of texts) whole.write(text);
        for (const parts of lines) {
          pieces.open();
          for (const part of parts) {
            if (typeof part === 'number') pieces.int(part);
            else pieces.text(part);
          }
          pieces.close();
          expect(pieces.lastLine()).toBe(pieces.lines[pieces.lines.length - 1]);
        }
        const expected = sha256(texts.map((text) => `${text}\n`).join(''));
        expect(whole.finish()).toBe(expected);
        expect(pieces.finish()).toBe(expected);
        expect(pieces.lines).toEqual(texts);
        expect(pieces.lineCount).toBe(texts.length);
      }),
    );
  });

  it('takes lines longer than its buffer, and many buffers of lines', () => {
    const transcript = new Transcript();
    const long = 'x'.repeat(transcriptBufferBytes * 3 + 17);
    const lines = [long, ...Array.from({ length: 20_000 }, (_, i) => `${i} tick ${i % 7}`), long];
    for (const line of lines) transcript.write(line);
    expect(transcript.lastLine()).toBe(long);
    expect(transcript.finish()).toBe(sha256(lines.map((line) => `${line}\n`).join('')));
  });

  it('refuses a newline inside a line and names the line', () => {
    const transcript = new Transcript();
    transcript.open();
    transcript.text('12 tick 1');
    expect(() => transcript.text(' oops\nmore')).toThrow(/holds a newline: 12 tick 1 oops/);
  });

  it('copies itself: a clone continues with the same hash and its own buffer', () => {
    const transcript = new Transcript({ linesKeptMax: 5 });
    for (let i = 0; i < 3_000; i++) transcript.write(`${i} deliver MsgApp 1>2 t${i}`);
    const copy = deepClone(transcript, { shareBytes: true });
    copy.write('copy only');
    transcript.write('original only');
    const base = Array.from({ length: 3_000 }, (_, i) => `${i} deliver MsgApp 1>2 t${i}\n`).join(
      '',
    );
    expect(copy.finish()).toBe(sha256(`${base}copy only\n`));
    expect(transcript.finish()).toBe(sha256(`${base}original only\n`));
  });
});
