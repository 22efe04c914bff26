import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejected, thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { loadCaptionedImage } from './captioned-image.js';
import { parseCocoCaptions, readCocoCaptions } from './coco-captions.js';
import { encodePng } from './encode-image.js';
import { parseFlickr8kTokens, readFlickr8kCaptions } from './flickr8k-captions.js';
import { VisionDataError } from './vision-data-error.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vision-captions-'));
  mkdirSync(join(dir, 'images'));
  const png = encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(12).fill(90) });
  writeFileSync(join(dir, 'images', 'a.png'), png);
  writeFileSync(join(dir, 'images', 'b.png'), png);
  writeFileSync(join(dir, 'images', 'bad.png'), Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0, 0]));
  return dir;
}

describe('COCO-style captions', () => {
  it('groups captions by image and reads the images', async () => {
    const dir = folder();
    const json = {
      images: [
        { id: 1, file_name: 'a.png' },
        { id: 2, file_name: 'b.png' },
        { id: 3, file_name: 'unused.png' },
      ],
      annotations: [
        { id: 10, image_id: 2, caption: 'a gray square' },
        { id: 11, image_id: 1, caption: ' two by two ' },
        { id: 12, image_id: 2, caption: 'flat gray' },
      ],
    };
    writeFileSync(join(dir, 'captions.json'), JSON.stringify(json));
    const items = await readCocoCaptions(join(dir, 'captions.json'), join(dir, 'images'));
    expect(items.map((i) => [i.id, i.captions])).toEqual([
      ['1', ['two by two']],
      ['2', ['a gray square', 'flat gray']],
    ]);
    const image = await loadCaptionedImage(items[0] as (typeof items)[0]);
    expect(image).toMatchObject({ width: 2, height: 2, channels: 3 });
  });

  it('names malformed records, missing images, bad JSON and unsupported image files', async () => {
    const dir = folder();
    expect(thrown(() => parseCocoCaptions({ images: {} }, dir), VisionDataError).message).toContain('"images"');
    const unknown = thrown(
      () =>
        parseCocoCaptions(
          { images: [{ id: 1, file_name: 'a.png' }], annotations: [{ image_id: 9, caption: 'x' }] },
          dir,
        ),
      VisionDataError,
    );
    expect(unknown.reason).toBe('bad-record');
    expect(unknown.message).toContain('annotations[0]');
    expect(
      thrown(
        () => parseCocoCaptions({ images: [{ id: 1, file_name: '../a.png' }], annotations: [] }, dir),
        VisionDataError,
      ).message,
    ).toContain('leaves');
    writeFileSync(
      join(dir, 'missing.json'),
      JSON.stringify({ images: [{ id: 1, file_name: 'gone.png' }], annotations: [{ image_id: 1, caption: 'x' }] }),
    );
    const missing = await rejected(readCocoCaptions(join(dir, 'missing.json'), join(dir, 'images')), VisionDataError);
    expect(missing.reason).toBe('not-found');
    expect(missing.message).toContain('gone.png');
    writeFileSync(join(dir, 'broken.json'), '{"images": [');
    expect((await rejected(readCocoCaptions(join(dir, 'broken.json'), dir), VisionDataError)).reason).toBe('corrupt');
    const gif = await rejected(
      loadCaptionedImage({ id: 'x', fileName: 'bad.png', path: join(dir, 'images', 'bad.png'), captions: [] }),
      VisionDataError,
    );
    expect(gif.reason).toBe('unsupported-format');
    expect(gif.message).toContain('GIF');
  });
});

describe('Flickr8k token file', () => {
  it('reads image#n<TAB>caption lines and names bad lines by number', async () => {
    const dir = folder();
    writeFileSync(
      join(dir, 'Flickr8k.token.txt'),
      'a.png#0\tA gray square .\na.png#1\tFlat gray .\r\nb.png#0\tAnother one .\n\n',
    );
    const items = await readFlickr8kCaptions(join(dir, 'Flickr8k.token.txt'), join(dir, 'images'));
    expect(items.map((i) => [i.fileName, i.captions.length])).toEqual([
      ['a.png', 2],
      ['b.png', 1],
    ]);
    const bad = thrown(
      () => parseFlickr8kTokens('a.png#0\tok\na.png no tab here\n', dir, 'tokens.txt'),
      VisionDataError,
    );
    expect(bad.reason).toBe('bad-record');
    expect(bad.line).toBe(2);
    writeFileSync(join(dir, 'gone.txt'), 'gone.jpg#0\ta caption\n');
    expect(
      (await rejected(readFlickr8kCaptions(join(dir, 'gone.txt'), join(dir, 'images')), VisionDataError)).reason,
    ).toBe('not-found');
    expect((await rejected(readFlickr8kCaptions(join(dir, 'nope.txt'), dir), VisionDataError)).reason).toBe(
      'not-found',
    );
  });
});
