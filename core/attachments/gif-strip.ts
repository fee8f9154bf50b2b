// A GIF without its metadata, byte for byte otherwise: re-encoding an animated GIF re-quantises
// every frame (colours shift, files grow), while what a GIF can say about its maker sits in blocks
// of its own (comments, XMP, ICC and Photoshop application extensions) that can simply be left out.
// Frames, palettes, timing and the loop count are kept as they are.

/** The application extensions a GIF needs to play as intended: the loop count. */
const KEPT_APPLICATIONS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

export class MalformedGifError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedGifError';
  }
}

export interface StrippedGif {
  bytes: Buffer;
  width: number;
  height: number;
  frames: number;
}

/** The GIF with only its header, palettes, frames, graphic controls and loop count; throws MalformedGifError when it does not parse. */
export function stripGif(gif: Uint8Array): StrippedGif {
  const data = Buffer.from(gif.buffer, gif.byteOffset, gif.byteLength);
  const signature = data.toString('latin1', 0, 6);
  if (signature !== 'GIF87a' && signature !== 'GIF89a') throw new MalformedGifError('not a GIF');
  if (data.length < 13) throw new MalformedGifError('the GIF ends in its screen descriptor');
  const width = data.readUInt16LE(6);
  const height = data.readUInt16LE(8);
  const kept: Buffer[] = [];
  let at = 13 + colorTableBytes(data[10]!);
  need(data, at, 'its global colour table');
  kept.push(data.subarray(0, at));
  let frames = 0;

  for (;;) {
    need(data, at + 1, 'a block');
    const introducer = data[at]!;
    if (introducer === 0x3b) {
      // The trailer; whatever follows it is no part of the image (and may be anything).
      kept.push(data.subarray(at, at + 1));
      break;
    }
    if (introducer === 0x2c) {
      need(data, at + 10, 'an image descriptor');
      const start = at;
      at += 10 + colorTableBytes(data[at + 9]!);
      need(data, at + 1, 'a local colour table');
      at = skipSubBlocks(data, at + 1); // after the LZW minimum code size
      kept.push(data.subarray(start, at));
      frames += 1;
      continue;
    }
    if (introducer !== 0x21) throw new MalformedGifError(`unknown block 0x${introducer.toString(16)} at ${at}`);
    need(data, at + 2, 'an extension');
    const start = at;
    const label = data[at + 1]!;
    at = skipSubBlocks(data, at + 2);
    if (keepExtension(data, start, label)) kept.push(data.subarray(start, at));
  }
  if (frames === 0) throw new MalformedGifError('the GIF has no image');
  return { bytes: Buffer.concat(kept), width, height, frames };
}

function keepExtension(data: Buffer, start: number, label: number): boolean {
  // 0xf9 graphic control (delay, disposal, transparency) and 0x01 plain text are part of how it
  // looks; 0xfe is a comment; 0xff applications are kept only for the loop count.
  if (label === 0xf9 || label === 0x01) return true;
  if (label !== 0xff) return false;
  return data[start + 2] === 11 && KEPT_APPLICATIONS.has(data.toString('latin1', start + 3, start + 14));
}

/** Bytes of the colour table a packed field announces (its top bit set: 3 × 2^(size+1)). */
function colorTableBytes(packed: number): number {
  return packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0;
}

/** Where the sub-blocks starting at `at` end, after their zero-length terminator. */
function skipSubBlocks(data: Buffer, at: number): number {
  for (;;) {
    need(data, at + 1, 'a data sub-block');
    const length = data[at]!;
    at += 1 + length;
    if (length === 0) return at;
  }
}

function need(data: Buffer, end: number, what: string): void {
  if (end > data.length) throw new MalformedGifError(`the GIF ends in ${what}`);
}
