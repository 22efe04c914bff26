/**
 * Writes hand-made hostile images and video files into the regression corpus
 * (targets `image` and `video-files`), made from the synthetic seeds: a PNG
 * and a GIF whose headers claim 65,535 × 65,535 pixels (the pixel limit must
 * refuse them before anything is allocated), files cut off after their
 * header, a GIF or BMP given to the image reader, an idx file whose header
 * claims 2³² − 1 images, a GIF with a frame count far past the frame limit
 * (the same frame repeated), and an `.npy` header that claims a shape its
 * data does not hold. None failed when written; the replay keeps it so.
 *
 *   pnpm --filter @seqgen/fuzz exec tsx src/media-corpus.ts
 */
import { imageSeeds } from './image-target.js';
import { inputId, Sandbox, saveFinding } from './runner.js';
import { targetNamed } from './targets.js';
import { videoSeeds } from './video-target.js';

const sandbox = new Sandbox({ timeoutMs: 20_000 });

async function save(targetName: string, bytes: Uint8Array, description: string): Promise<void> {
  const target = targetNamed(targetName);
  const result = await sandbox.run(target, bytes);
  const file = saveFinding({ target: target.name, id: inputId(bytes), bytes, description, result });
  console.log(`${result.outcome.padEnd(7)} ${target.name}: ${description} -> ${file}`);
}

/** `bytes` behind a reader's selector byte, as the targets read their input. */
function tagged(selector: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out[0] = selector;
  out.set(bytes, 1);
  return out;
}

/** The seed named `prefix…` of `seeds`, without its selector byte. */
function seedFile(seeds: { name: string; bytes: Uint8Array }[], prefix: string): Uint8Array {
  const seed = seeds.find((s) => s.name.startsWith(prefix));
  if (!seed) throw new Error(`no seed named ${prefix}…`);
  return seed.bytes.slice(1);
}

try {
  const images = await imageSeeds();
  const videos = videoSeeds();
  const png = seedFile(images, 'png: gray');
  const gif = seedFile(videos, 'gif: gray 12×8');

  // PNG IHDR width and height (big-endian, bytes 16–23) claiming 65,535 × 65,535.
  const hugePng = png.slice();
  hugePng.set([0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff], 16);
  await save('image', tagged(0, hugePng), 'PNG header claiming 65,535 × 65,535 pixels');
  await save('image', tagged(0, png.slice(0, 40)), 'PNG cut off inside its first chunk');
  await save('image', tagged(0, gif), 'a GIF given to the PNG/JPEG reader');
  await save('image', tagged(0, Uint8Array.from([0x42, 0x4d, 0x3a, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0])), 'BMP header');
  const idx = Uint8Array.from([0, 0, 0x08, 3, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]);
  await save('image', tagged(1, idx), 'idx header claiming 2^32 - 1 images of 28 × 28');

  // GIF logical screen width and height (little-endian, bytes 6–9) claiming 65,535 × 65,535.
  const hugeGif = gif.slice();
  hugeGif.set([0xff, 0xff, 0xff, 0xff], 6);
  await save('video-files', tagged(0, hugeGif), 'GIF screen claiming 65,535 × 65,535 pixels');
  await save('video-files', tagged(0, gif.slice(0, Math.floor(gif.length / 2))), 'GIF cut off mid-frame');
  // One frame (from the first image descriptor, 0x2c, to the trailer) repeated 5,000 times.
  const start = gif.indexOf(0x2c, 13);
  const frame = gif.slice(start, gif.length - 1);
  const many = new Uint8Array(start + frame.length * 5000 + 1);
  many.set(gif.slice(0, start), 0);
  for (let i = 0; i < 5000; i++) many.set(frame, start + i * frame.length);
  many[many.length - 1] = 0x3b;
  await save('video-files', tagged(0, many), 'GIF of 5,000 frames, past the frame limit');
  const npy = seedFile(videos, 'npy: uint8');
  await save('video-files', tagged(2, npy.slice(0, npy.length - 100)), '.npy whose data is shorter than its shape');
} finally {
  sandbox.close();
}
