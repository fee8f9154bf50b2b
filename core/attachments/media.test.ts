import zlib from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import { thumbHashToRGBA } from 'thumbhash';
import { beforeAll, describe, expect, it } from 'vitest';
import { MediaMeta } from '../../shared/attachment.js';
import { stripGif } from './gif-strip.js';
import { MediaError, imageInfo, prepareImage, thumbhashOf } from './media.js';

const GPS = { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 300/100' };
const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">XMP-SECRET-CREATOR</rdf:RDF></x:xmpmeta>';

/** Whether EXIF data holds a GPS IFD: tag 0x8825 in IFD0 (read as the TIFF structure, not guessed from bytes). */
function hasGpsIfd(exif: Buffer | undefined): boolean {
  if (!exif) return false;
  const tiff = exif.subarray(exif.toString('latin1', 0, 4) === 'Exif' ? 6 : 0);
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd0 = u32(4);
  for (let i = 0; i < u16(ifd0); i++) if (u16(ifd0 + 2 + 12 * i) === 0x8825) return true;
  return false;
}

/** A 400×200 picture, red on its left half and blue on its right, so a turn shows. */
function halves(width = 400, height = 200): Sharp {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [220, 20, 20] : [20, 20, 220], (y * width + x) * 3);
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

/** A JPEG comment (COM segment) put right after SOI, as some cameras and editors write. */
function withJpegComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, body, jpeg.subarray(2)]);
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

const isRed = ([r, g, b]: number[]) => r! > 150 && g! < 80 && b! < 80;
const isBlue = ([r, g, b]: number[]) => b! > 150 && r! < 80 && g! < 80;

describe('a JPEG photo with a position in it', () => {
  let photo: Buffer;
  beforeAll(async () => {
    const tagged = await halves()
      .jpeg()
      .withExif({ IFD0: { Make: 'WarblerCam', Model: 'SecretModel', Software: 'CameraApp 1.0' }, IFD3: GPS })
      .withXmp(XMP)
      .withIccProfile('p3')
      .withMetadata({ orientation: 6 })
      .toBuffer();
    photo = withJpegComment(tagged, 'COMMENT-SECRET');
    // The fixture is what it claims: GPS, XMP, a profile, the comment and orientation 6 are all there.
    const meta = await sharp(photo).metadata();
    expect(hasGpsIfd(meta.exif)).toBe(true);
    expect(meta.xmpAsString).toContain('XMP-SECRET-CREATOR');
    expect(meta.hasProfile).toBe(true);
    expect(meta.orientation).toBe(6);
    expect(photo.includes('COMMENT-SECRET')).toBe(true);
    expect(photo.includes('SecretModel')).toBe(true);
  });

  it('comes out without EXIF, GPS, XMP, ICC profile or comment', async () => {
    const prepared = await prepareImage(photo, 'image/jpeg');
    expect(prepared.type).toBe('image/jpeg');
    const meta = await sharp(prepared.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(hasGpsIfd(meta.exif)).toBe(false);
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    for (const secret of ['WarblerCam', 'SecretModel', 'CameraApp', 'XMP-SECRET', 'COMMENT-SECRET', 'Exif\0\0', 'http://ns.adobe.com']) {
      expect(prepared.bytes.includes(secret), secret).toBe(false);
    }
  });

  it('is turned upright: orientation 6 is a quarter turn clockwise, width and height swapped', async () => {
    const prepared = await prepareImage(photo, 'image/jpeg');
    expect([prepared.width, prepared.height]).toEqual([200, 400]);
    const meta = await sharp(prepared.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([200, 400]);
    // The stored left half (red) is the top once turned.
    expect(isRed(await pixel(prepared.bytes, 100, 50))).toBe(true);
    expect(isBlue(await pixel(prepared.bytes, 100, 350))).toBe(true);
  });

  it('carries a ThumbHash of the upright picture, in the shape MediaMeta accepts', async () => {
    const prepared = await prepareImage(photo, 'image/jpeg');
    expect(MediaMeta.parse({ width: prepared.width, height: prepared.height, thumbhash: prepared.thumbhash }).thumbhash).toBe(prepared.thumbhash);
    const { w, h, rgba } = thumbHashToRGBA(Buffer.from(prepared.thumbhash, 'base64'));
    expect(Math.abs(w / h - 0.5)).toBeLessThan(0.1); // ThumbHash keeps the aspect approximately
    // Red above, blue below in the placeholder too.
    const at = (x: number, y: number) => [...rgba.subarray((y * w + x) * 4, (y * w + x) * 4 + 3)];
    const top = at(Math.floor(w / 2), 1);
    const bottom = at(Math.floor(w / 2), h - 2);
    expect(top[0]! > top[2]!).toBe(true);
    expect(bottom[2]! > bottom[0]!).toBe(true);
  });

  it('is measured as shown when sent as a file, bytes untouched', async () => {
    const copy = Buffer.from(photo);
    expect(await imageInfo(photo)).toEqual({ width: 200, height: 400 });
    expect(photo.equals(copy)).toBe(true);
    const { w, h } = thumbHashToRGBA(Buffer.from(await thumbhashOf(photo), 'base64'));
    expect(w).toBeLessThan(h);
  });

  it('keeps what the file is, whatever it was called', async () => {
    const prepared = await prepareImage(photo, 'image/png');
    expect(prepared.type).toBe('image/jpeg');
  });
});

describe('other formats keep their format and lose their metadata', () => {
  it.each([
    ['png', 'image/png'],
    ['webp', 'image/webp'],
    ['avif', 'image/avif'],
  ] as const)('%s', async (format, type) => {
    const tagged = await halves(64, 32).toFormat(format).withExif({ IFD0: { Make: 'WarblerCam' }, IFD3: GPS }).withXmp(XMP).toBuffer();
    const before = await sharp(tagged).metadata();
    expect(hasGpsIfd(before.exif)).toBe(true);
    const prepared = await prepareImage(tagged, type);
    expect(prepared.type).toBe(type);
    expect([prepared.width, prepared.height]).toEqual([64, 32]);
    const meta = await sharp(prepared.bytes).metadata();
    expect(meta.mediaType).toBe(type);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(prepared.bytes.includes('WarblerCam')).toBe(false);
    expect(prepared.bytes.includes('XMP-SECRET')).toBe(false);
  });
});

describe('an animated GIF', () => {
  const w = 24;
  const h = 12;
  const frames = 3;
  let gif: Buffer;
  beforeAll(async () => {
    const raw = Buffer.alloc(w * h * frames * 4);
    for (let i = 0; i < raw.length; i += 4) raw.set([(Math.floor(i / (w * h * 4)) * 100) % 256, 60, 200, 255], i);
    gif = await sharp(raw, { raw: { width: w, height: h * frames, channels: 4, pageHeight: h } })
      .gif({ delay: [100, 200, 300], loop: 0 })
      .toBuffer();
  });

  /** The GIF with a comment and an XMP application extension put before its first block, as editors write them. */
  function tagged(): Buffer {
    const tableBytes = gif[10]! & 0x80 ? 3 * 2 ** ((gif[10]! & 7) + 1) : 0;
    const at = 13 + tableBytes;
    const comment = Buffer.concat([Buffer.from([0x21, 0xfe, 14]), Buffer.from('COMMENT-SECRET'), Buffer.from([0])]);
    const xmpData = Buffer.from(XMP);
    const xmp = Buffer.concat([Buffer.from([0x21, 0xff, 11]), Buffer.from('XMP DataXMP'), Buffer.from([xmpData.length]), xmpData, Buffer.from([0])]);
    return Buffer.concat([gif.subarray(0, at), comment, xmp, gif.subarray(at)]);
  }

  it('keeps every frame, its timing and loop, byte for byte, without comment or XMP', async () => {
    const prepared = await prepareImage(tagged(), 'image/gif');
    expect(prepared.type).toBe('image/gif');
    expect(prepared.bytes.equals(gif)).toBe(true);
    expect(prepared.bytes.includes('COMMENT-SECRET')).toBe(false);
    expect(prepared.bytes.includes('XMP-SECRET')).toBe(false);
    const meta = await sharp(prepared.bytes, { animated: true }).metadata();
    expect(meta.pages).toBe(frames);
    expect(meta.delay).toEqual([100, 200, 300]);
    expect(meta.loop).toBe(0);
    expect([prepared.width, prepared.height]).toEqual([w, h]);
    expect(stripGif(tagged()).frames).toBe(frames);
  });

  it('is re-encoded, still animated, when its blocks do not parse', async () => {
    const noTrailer = tagged().subarray(0, -1);
    const prepared = await prepareImage(noTrailer, 'image/gif');
    const meta = await sharp(prepared.bytes, { animated: true }).metadata();
    expect(meta.format).toBe('gif');
    expect(meta.pages).toBe(frames);
    expect(prepared.bytes.includes('COMMENT-SECRET')).toBe(false);
    expect(prepared.bytes.includes('XMP-SECRET')).toBe(false);
  });
});

describe('refusals', () => {
  /** A PNG whose header claims 60000×60000 pixels (3.6 gigapixels) around one tiny compressed row: a decompression bomb. */
  function pngBomb(): Buffer {
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(4);
      head.writeUInt32BE(data.length);
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(zlib.crc32(body));
      return Buffer.concat([head, body, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(60_000, 0);
    ihdr.writeUInt32BE(60_000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
  }

  async function refusal(work: Promise<unknown>): Promise<MediaError> {
    const err = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).code).toBe('unreadable_file');
    return err as MediaError;
  }

  it('an image of more pixels than the limit, from its header, without decoding it', async () => {
    const err = await refusal(prepareImage(pngBomb(), 'image/png'));
    expect(err.reason).toBe('too_many_pixels');
    expect(err.message).toMatch(/60000×60000/);
    expect((await refusal(imageInfo(pngBomb()))).reason).toBe('too_many_pixels');
    expect((await refusal(thumbhashOf(pngBomb()))).reason).toBe('too_many_pixels');
  });

  it('bytes that are no image', async () => {
    expect((await refusal(prepareImage(Buffer.from('not an image at all'), 'image/jpeg'))).reason).toBe('not_an_image');
    const cut = (await halves().jpeg().toBuffer()).subarray(0, 300);
    expect((await refusal(prepareImage(cut, 'image/jpeg'))).reason).toBe('not_an_image');
  });

  it('a format not shown inline', async () => {
    const tiff = await halves(16, 16).tiff().toBuffer();
    expect((await refusal(prepareImage(tiff, 'image/jpeg'))).reason).toBe('unsupported_format');
  });
});
