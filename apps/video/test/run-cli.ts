import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliResult, cliRunner, readJson } from '@seqgen/test-utils';
import { MovingMnist, type Video, writeGif } from '@seqgen/video';
import { encodePng, loadMnistDigits } from '@seqgen/vision';

export type { CliResult };
export { readJson };

export const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `seqgen-video` from source in child processes (the backend comes from SEQGEN_BACKEND). */
export const cli = cliRunner(join(appRoot, 'src', 'cli.ts'), { cwd: appRoot });

/** Runs `seqgen-video` to the end. */
export const runCli = cli.run;

/** A held-out Moving MNIST sequence (test digits) as a gray video. */
export function movingMnistVideo(frames: number, digitsPerSequence = 2, seed = 3): Video {
  const generator = new MovingMnist(loadMnistDigits({ split: 'test', perClass: 5 }), {
    seed,
    frames,
    digitsPerSequence,
    batchSize: 1,
  });
  const s = generator.sequence();
  const size = 64 * 64;
  return {
    width: 64,
    height: 64,
    channels: 1,
    frames: Array.from({ length: frames }, (_, t) => s.frames.slice(t * size, (t + 1) * size)),
  };
}

/** Writes the bad inputs every reading command must refuse, in `dir`. */
export function writeBadInputs(dir: string): { corrupt: string; mixedSizes: string; short: string; text: string } {
  mkdirSync(dir, { recursive: true });
  const corrupt = join(dir, 'corrupt.gif');
  writeFileSync(corrupt, Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(40, 0x55)]));
  const mixedSizes = join(dir, 'mixed-sizes');
  mkdirSync(mixedSizes, { recursive: true });
  writeFileSync(
    join(mixedSizes, 'frame1.png'),
    encodePng({ width: 64, height: 64, channels: 1, data: new Uint8Array(64 * 64) }),
  );
  writeFileSync(
    join(mixedSizes, 'frame2.png'),
    encodePng({ width: 32, height: 64, channels: 1, data: new Uint8Array(32 * 64) }),
  );
  const short = join(dir, 'short.gif');
  writeGif(short, movingMnistVideo(3));
  const text = join(dir, 'clip.txt');
  writeFileSync(text, 'not a video');
  return { corrupt, mixedSizes, short, text };
}
