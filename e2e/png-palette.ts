// Shrinks a screenshot: decodes an 8-bit RGB(A) PNG and writes it again with a palette of its
// 256 most frequent colours (every other colour mapped to the nearest of them). A flat UI picture
// keeps its fills exactly and loses only some antialiasing shades, at a third of the size.
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
const paletteSize = 256;

interface Rgb {
  width: number;
  height: number;
  /** 3 bytes a pixel, rows top to bottom. */
  pixels: Buffer;
}

function chunks(png: Buffer): { type: string; data: Buffer }[] {
  if (!png.subarray(0, 8).equals(signature)) throw new Error('not a PNG');
  const found: { type: string; data: Buffer }[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    found.push({ type: png.toString('latin1', offset + 4, offset + 8), data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  return found;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(png: Buffer): Rgb {
  const all = chunks(png);
  const header = all.find((chunk) => chunk.type === 'IHDR')!.data;
  const [width, height, depth, colorType, interlace] = [
    header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9], header[12],
  ];
  if (depth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0)
    throw new Error(`only 8-bit non-interlaced RGB(A) PNGs, got depth ${depth} type ${colorType}`);
  const channels = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(all.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
  const stride = width * channels;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[out + x - channels] : 0;
      const b = y > 0 ? rows[out - stride + x] : 0;
      const c = x >= channels && y > 0 ? rows[out - stride + x - channels] : 0;
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
      rows[out + x] = (line[x] + predictor) & 0xff;
    }
  }
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) rows.copy(pixels, i * 3, i * channels, i * channels + 3);
  return { width, height, pixels };
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const frame = Buffer.alloc(12 + data.length);
  frame.writeUInt32BE(data.length, 0);
  body.copy(frame, 4);
  frame.writeUInt32BE(crc32(body), 8 + data.length);
  return frame;
}

function distance(one: number, other: number): number {
  const dr = ((one >> 16) & 0xff) - ((other >> 16) & 0xff);
  const dg = ((one >> 8) & 0xff) - ((other >> 8) & 0xff);
  const db = (one & 0xff) - (other & 0xff);
  return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

/**
 * The most frequent colours, skipping those close to one already taken, so a small swatch of
 * a distinct colour wins a slot over the hundredth shade of grey; then the rest by frequency.
 */
function choosePalette(byFrequency: readonly number[]): number[] {
  const palette: number[] = [];
  const apartMin = 9 * 18 * 18;
  for (const rgb of byFrequency) {
    if (palette.length === paletteSize) return palette;
    if (palette.every((taken) => distance(rgb, taken) >= apartMin)) palette.push(rgb);
  }
  for (const rgb of byFrequency) {
    if (palette.length === paletteSize) break;
    if (!palette.includes(rgb)) palette.push(rgb);
  }
  return palette;
}

export function encodePalettePng({ width, height, pixels }: Rgb): Buffer {
  const counts = new Map<number, number>();
  for (let i = 0; i < pixels.length; i += 3) {
    const rgb = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
  }
  const byFrequency = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const palette = choosePalette(byFrequency.map(([rgb]) => rgb));
  const nearest = new Map<number, number>();
  const indexOf = (rgb: number): number => {
    let best = nearest.get(rgb);
    if (best !== undefined) return best;
    let bestDistance = Infinity;
    for (const [index, candidate] of palette.entries()) {
      const apart = distance(rgb, candidate);
      if (apart < bestDistance) [best, bestDistance] = [index, apart];
    }
    nearest.set(rgb, best!);
    return best!;
  };
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[y * (width + 1) + 1 + x] = indexOf((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
    }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 3;
  const plte = Buffer.alloc(palette.length * 3);
  palette.forEach((rgb, index) => plte.writeUIntBE(rgb, index * 3, 3));
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rewrites the PNG at `path` with a palette; returns its new size in bytes. */
export function paletteInPlace(path: string): number {
  const png = encodePalettePng(decodePng(readFileSync(path)));
  writeFileSync(path, png);
  return png.length;
}
