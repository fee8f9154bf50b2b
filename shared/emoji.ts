// One emoji, as a reaction is: any the Unicode consortium recommends for general interchange (with
// its skin tone, ZWJ sequence, flag or keycap), and nothing else, so a reaction cannot be a word.
import { z } from 'zod';

// Built at run time: the 'v' flag (sets of strings, as RGI_Emoji is) is newer than the ES target.
const ONE_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

export const isEmoji = (text: string): boolean => ONE_EMOJI.test(text);

export const Emoji = z.string().max(64).refine(isEmoji, 'a reaction is one emoji');
