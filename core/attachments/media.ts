// Images on their way into a message: re-encoded so that nothing but the picture goes along (no
// EXIF, above all no GPS position, no XMP, IPTC, comments or ICC profile, which can name a camera,
// a person or software), turned upright as the camera's orientation tag said, measured, and given
// a ThumbHash placeholder that travels inside the message. Sent "as a file", an image goes as it
// is, and is only measured.
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { MalformedGifError, stripGif } from './gif-strip.js';

/**
 * Larger images are refused rather than decoded: 100 megapixels covers every phone and most
 * cameras, and decoding one takes ~400 MB; sharp's own default (268 MP, over 1 GB) is for servers.
 */
export const IMAGE_MAX_PIXELS = 100_000_000;
/** A pathological file fails after this long instead of holding the core. */
const TIMEOUT_SECONDS = 60;
/** ThumbHash wants at most 100×100 pixels. */
const THUMB_SIZE = 100;

export type MediaErrorReason = 'too_many_pixels' | 'not_an_image' | 'unsupported_format';

/** The image could not be prepared; the core shows it as unreadable_file, and the person may send it as a file instead. */
export class MediaError extends Error {
  readonly code = 'unreadable_file' as const;
  constructor(
    readonly reason: MediaErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

export interface ImageInfo {
  /** As shown: after the orientation tag is applied. */
  width: number;
  height: number;
}

export interface PreparedImage extends ImageInfo {
  bytes: Buffer;
  /** The MIME type of `bytes`: that of what the file is, whatever it was called. */
  type: string;
  /** ThumbHash of the image, base64. */
  thumbhash: string;
}

type Format = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif';
const TYPES: Record<Format, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', avif: 'image/avif' };

const input = (bytes: Buffer, options: SharpOptions = {}): Sharp =>
  // failOn 'error': phones write slightly irregular files that every viewer shows; only what cannot be decoded is refused.
  sharp(bytes, { limitInputPixels: IMAGE_MAX_PIXELS, failOn: 'error', ...options }).timeout({ seconds: TIMEOUT_SECONDS });

/** sharp's failures as MediaErrors: the limit by its name, anything else as not readable. */
async function decoding<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof MediaError) throw err;
    const message = (err as Error).message;
    if (/pixel limit/i.test(message)) throw new MediaError('too_many_pixels', `the image has more than ${IMAGE_MAX_PIXELS / 1e6} million pixels`);
    throw new MediaError('not_an_image', `not an image this app can read: ${message}`);
  }
}

async function inspect(bytes: Buffer, type?: string): Promise<{ format: Format; meta: Metadata }> {
  // metadata() reads the header alone, so it may see past the limit and say by how much.
  const meta = await decoding(input(bytes, { limitInputPixels: false }).metadata());
  const format = formatOf(meta);
  if (!format) throw new MediaError('unsupported_format', `${type ?? meta.format} images are not shown inline: send it as a file`);
  const pixels = meta.width * (meta.pageHeight ?? meta.height);
  if (pixels > IMAGE_MAX_PIXELS) {
    throw new MediaError('too_many_pixels', `the image has ${meta.width}×${meta.pageHeight ?? meta.height} pixels, more than ${IMAGE_MAX_PIXELS / 1e6} million`);
  }
  return { format, meta };
}

function formatOf(meta: Metadata): Format | undefined {
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
      return meta.format;
    case 'heif':
      // HEIF holds AVIF (AV1) or HEIC (HEVC); the prebuilt libvips decodes only AVIF.
      return meta.compression === 'av1' ? 'avif' : undefined;
    default:
      return undefined;
  }
}

/**
 * The image as it is sent inline: same format, upright, without metadata. `type` is what the
 * file was called; the result's type is what it is.
 */
export async function prepareImage(bytes: Buffer, type: string): Promise<PreparedImage> {
  const { format, meta } = await inspect(bytes, type);
  const out = format === 'gif' ? await cleanGif(bytes) : await decoding(reencode(bytes, format, meta));
  const { width, height } = await imageInfo(out);
  return { bytes: out, type: TYPES[format], width, height, thumbhash: await thumbhashOf(out) };
}

async function reencode(bytes: Buffer, format: Exclude<Format, 'gif'>, meta: Metadata): Promise<Buffer> {
  const animated = (meta.pages ?? 1) > 1;
  let image = input(bytes, animated ? { animated: true } : {});
  // Turned upright, since the tag that said how goes with the rest of the metadata. sharp cannot
  // rotate an animation; an animated WebP with an orientation tag is not something cameras write.
  if (!animated) image = image.rotate();
  // No withMetadata/keep*: sharp writes none of the input's EXIF, XMP, IPTC or ICC profile, and
  // converts the pixels to sRGB so that they look the same without the profile.
  switch (format) {
    case 'jpeg':
      return await image.jpeg({ quality: 88 }).toBuffer();
    case 'png':
      return await image.png({ palette: meta.isPalette }).toBuffer();
    case 'webp':
      return await image.webp({ quality: 88 }).toBuffer();
    case 'avif':
      return await image.avif({ quality: 60 }).toBuffer();
  }
}

async function cleanGif(bytes: Buffer): Promise<Buffer> {
  try {
    return stripGif(bytes).bytes;
  } catch (err) {
    if (!(err instanceof MalformedGifError)) throw err;
  }
  // A GIF its blocks do not parse as (a missing trailer, say) that libvips still reads: re-encoded,
  // frames and timing kept, metadata gone.
  return await decoding(input(bytes, { animated: true }).gif().toBuffer());
}

/** Width and height as shown (orientation applied; an animation's frame): for an image sent as a file. */
export async function imageInfo(bytes: Buffer): Promise<ImageInfo> {
  const { meta } = await inspect(bytes);
  const pageHeight = meta.pageHeight ?? meta.height;
  // autoOrient swaps width and height for orientations 5–8; an animation is measured by its frames.
  const swapped = meta.autoOrient.width !== meta.width;
  return swapped ? { width: pageHeight, height: meta.width } : { width: meta.width, height: pageHeight };
}

/** ThumbHash of the image (its first frame, upright), base64: a ~25-byte placeholder shown until it loads. */
export async function thumbhashOf(bytes: Buffer): Promise<string> {
  await inspect(bytes);
  const { data, info } = await decoding(
    input(bytes, { pages: 1 }).rotate().resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
  );
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}
