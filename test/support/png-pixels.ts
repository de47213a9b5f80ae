import zlib from 'node:zlib';

/** An 8-bit RGB(A) image: `data` holds `channels` bytes per pixel, row after row. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a PNG as Chromium writes screenshots (8 bits per channel, RGB or RGBA, not
 * interlaced): the chunks, the inflated IDAT stream, and the five row filters of the PNG spec.
 * Anything else is an error that names what it met, not a wrong picture.
 */
export function decodePng(file: Buffer): Pixels {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  let at = 8;
  let width = 0;
  let height = 0;
  let channels: 3 | 4 = 4;
  const idat: Buffer[] = [];
  while (at < file.length) {
    const len = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colorType, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0)
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[row + x - channels]! : 0;
      const b = y > 0 ? data[row - stride + x]! : 0;
      const c = x >= channels && y > 0 ? data[row - stride + x - channels]! : 0;
      const v = raw[src + x]!;
      const predicted = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : NaN;
      if (Number.isNaN(predicted)) throw new Error(`unknown PNG row filter ${filter} on row ${y}`);
      data[row + x] = (v + predicted) & 0xff;
    }
  }
  return { width, height, channels, data };
}

export interface Blob {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly pixels: number;
}

/**
 * The connected regions (4-neighbour) of pixels within `tolerance` of `rgb` per channel,
 * largest first: a filled rectangle or circle of that colour shows as one region.
 */
export function colorBlobs(img: Pixels, rgb: readonly [number, number, number], tolerance = 2): Blob[] {
  const { width, height, channels, data } = img;
  const match = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * channels;
    if (Math.abs(data[o]! - rgb[0]) <= tolerance && Math.abs(data[o + 1]! - rgb[1]) <= tolerance && Math.abs(data[o + 2]! - rgb[2]) <= tolerance) match[i] = 1;
  }
  const blobs: Blob[] = [];
  for (let start = 0; start < match.length; start++) {
    if (match[start] !== 1) continue;
    match[start] = 2;
    const stack = [start];
    let [left, top, right, bottom, pixels] = [width, height, 0, 0, 0];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width;
      const y = (i - x) / width;
      [left, top, right, bottom, pixels] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y), pixels + 1];
      for (const n of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1]) {
        if (n >= 0 && match[n] === 1) {
          match[n] = 2;
          stack.push(n);
        }
      }
    }
    blobs.push({ left, top, right, bottom, pixels });
  }
  return blobs.sort((a, b) => b.pixels - a.pixels);
}
