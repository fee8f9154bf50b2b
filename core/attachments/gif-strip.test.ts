import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MalformedGifError, stripGif } from './gif-strip.js';

let gif: Buffer;
beforeAll(async () => {
  gif = await sharp({ create: { width: 5, height: 3, channels: 3, background: '#c33' } }).gif().toBuffer();
});

/** The blocks after the screen descriptor and its colour table. */
const blocksAt = (g: Buffer) => 13 + (g[10]! & 0x80 ? 3 * 2 ** ((g[10]! & 7) + 1) : 0);
const insert = (g: Buffer, block: Buffer) => Buffer.concat([g.subarray(0, blocksAt(g)), block, g.subarray(blocksAt(g))]);
const application = (id: string, data: string) =>
  Buffer.concat([Buffer.from([0x21, 0xff, 11]), Buffer.from(id, 'latin1'), Buffer.from([data.length]), Buffer.from(data, 'latin1'), Buffer.from([0])]);

describe('stripGif', () => {
  it('leaves a GIF without metadata as it is, and measures it', () => {
    expect(stripGif(gif)).toEqual({ bytes: gif, width: 5, height: 3, frames: 1 });
  });

  it('drops comments and applications other than the loop count, and what follows the trailer', () => {
    const loop = application('NETSCAPE2.0', '\x01\x00\x00');
    const tagged = Buffer.concat([
      insert(gif, Buffer.concat([loop, Buffer.from([0x21, 0xfe, 3]), Buffer.from('who'), Buffer.from([0]), application('ICCRGBG1012', 'profile')])),
      Buffer.from('trailing secret'),
    ]);
    expect(stripGif(tagged).bytes).toEqual(insert(gif, loop));
  });

  it.each([
    ['not a GIF', Buffer.from('PNG-ish bytes that are not a gif')],
    ['cut in its screen descriptor', Buffer.from('GIF89a\x05\x00')],
    ['cut inside a sub-block', () => gif.subarray(0, gif.length - 4)],
    ['without a trailer', () => gif.subarray(0, gif.length - 1)],
    ['with an unknown block', () => insert(gif, Buffer.from([0x99]))],
    ['without an image', () => Buffer.concat([gif.subarray(0, blocksAt(gif)), Buffer.from([0x3b])])],
  ])('refuses a GIF %s', (_, bytes) => {
    const input = typeof bytes === 'function' ? bytes() : bytes;
    expect(() => stripGif(input)).toThrow(MalformedGifError);
  });
});
