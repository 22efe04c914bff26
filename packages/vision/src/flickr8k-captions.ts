import { join } from 'node:path';
import type { CaptionDatasetOptions, CaptionedImage } from './captioned-image.js';
import { checkImageFiles, readAnnotationText } from './captioned-image.js';
import { VisionDataError } from './vision-data-error.js';

/**
 * Parses Flickr8k's `Flickr8k.token.txt` (also Flickr30k's
 * `results_20130124.token`): one caption per line, `image.jpg#<n>\t<caption>`.
 * Images keep their first-seen order. A line without the tab or the `#n`
 * suffix is a `VisionDataError` `'bad-record'` with its line number.
 */
export function parseFlickr8kTokens(text: string, imageDir: string, source = 'Flickr8k.token.txt'): CaptionedImage[] {
  const byFile = new Map<string, CaptionedImage>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const tab = line.indexOf('\t');
    const match = tab < 0 ? null : /^(.+)#(\d+)$/.exec(line.slice(0, tab).trim());
    if (!match) {
      throw new VisionDataError('bad-record', source, 'expected "<image file>#<n><TAB><caption>"', { line: i + 1 });
    }
    const fileName = match[1] as string;
    if (fileName.split(/[\\/]/).includes('..') || fileName.startsWith('/')) {
      throw new VisionDataError('bad-record', source, `image "${fileName}" leaves the image folder`, { line: i + 1 });
    }
    const caption = line.slice(tab + 1).trim();
    if (caption === '')
      throw new VisionDataError('bad-record', source, `empty caption for ${fileName}`, { line: i + 1 });
    let item = byFile.get(fileName);
    if (!item) {
      item = { id: fileName, fileName, path: join(imageDir, fileName), captions: [] };
      byFile.set(fileName, item);
    }
    item.captions.push(caption);
  });
  return [...byFile.values()];
}

/** Reads a Flickr8k token file and its image folder (see {@link parseFlickr8kTokens}); by default every image file must exist. */
export async function readFlickr8kCaptions(
  tokenPath: string,
  imageDir: string,
  options: CaptionDatasetOptions = {},
): Promise<CaptionedImage[]> {
  const items = parseFlickr8kTokens(await readAnnotationText(tokenPath, options.maxBytes), imageDir, tokenPath);
  if (options.checkImages ?? true) await checkImageFiles(items, tokenPath);
  return items;
}
