// UTF-8 helpers shared by the codecs.

const encoder = new TextEncoder();

export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export { decodeUtf8 } from './byte-reader';
