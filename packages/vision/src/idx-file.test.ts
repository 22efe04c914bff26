import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rejected, thrown } from '@seqgen/test-utils';
import { describe, expect, it } from 'vitest';
import { parseIdx, readIdxFile } from './idx-file.js';
import { imageAt } from './image-dataset.js';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist, readIdxImageSet } from './mnist-datasets.js';
import { hasFashionMnist } from './test-fixtures/fashion-mnist.js';
import { VisionDataError } from './vision-data-error.js';

/** idx bytes: magic 00 00 08 <dims>, big-endian sizes, then the bytes. */
function idx(shape: number[], values: number[]): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  header.setUint8(2, 0x08);
  header.setUint8(3, shape.length);
  shape.forEach((s, i) => {
    header.setUint32(4 + 4 * i, s);
  });
  return Uint8Array.from([...new Uint8Array(header.buffer), ...values]);
}

describe('idx files', () => {
  it('parses plain and gzip-compressed idx arrays', () => {
    const bytes = idx([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const b of [bytes, gzipSync(bytes)]) {
      const parsed = parseIdx(b);
      expect(parsed.shape).toEqual([2, 2, 3]);
      expect([...parsed.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    }
    const ints = new DataView(new ArrayBuffer(16));
    ints.setUint8(2, 0x0c);
    ints.setUint8(3, 1);
    ints.setUint32(4, 2);
    ints.setInt32(8, -5);
    ints.setInt32(12, 70000);
    expect([...parseIdx(new Uint8Array(ints.buffer)).data]).toEqual([-5, 70000]);
  });

  it('gives typed errors for a bad magic, a truncated header or payload, trailing bytes and a damaged gzip', () => {
    const good = idx([2, 3], [1, 2, 3, 4, 5, 6]);
    const badMagic = good.slice();
    badMagic[0] = 1;
    expect(thrown(() => parseIdx(badMagic, 'x.idx'), VisionDataError).reason).toBe('bad-magic');
    const badType = good.slice();
    badType[2] = 0x42;
    expect(thrown(() => parseIdx(badType), VisionDataError).reason).toBe('bad-magic');
    expect(thrown(() => parseIdx(good.subarray(0, 6)), VisionDataError).reason).toBe('truncated');
    const cut = thrown(() => parseIdx(good.subarray(0, good.length - 1), 'x.idx'), VisionDataError);
    expect(cut.reason).toBe('truncated');
    expect(cut.message).toContain('x.idx');
    expect(thrown(() => parseIdx(Uint8Array.from([...good, 0])), VisionDataError).reason).toBe('corrupt');
    expect(thrown(() => parseIdx(gzipSync(good).subarray(0, 15)), VisionDataError).reason).toBe('corrupt');
    expect(thrown(() => parseIdx(idx([100_000, 100_000], [])), VisionDataError).reason).toBe('too-large');
  });

  it('reads image/label pairs and refuses mismatched counts and missing files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vision-idx-'));
    writeFileSync(join(dir, 'img.gz'), gzipSync(idx([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7])));
    writeFileSync(join(dir, 'lab.gz'), gzipSync(idx([2], [7, 3])));
    writeFileSync(join(dir, 'lab3.gz'), gzipSync(idx([3], [7, 3, 1])));
    const set = await readIdxImageSet(join(dir, 'img.gz'), join(dir, 'lab.gz'));
    expect(set).toMatchObject({ count: 2, width: 2, height: 2, channels: 1 });
    expect([...imageAt(set, 1).data]).toEqual([4, 5, 6, 7]);
    expect([...set.labels]).toEqual([7, 3]);
    expect((await rejected(readIdxImageSet(join(dir, 'img.gz'), join(dir, 'lab3.gz')), VisionDataError)).reason).toBe(
      'bad-record',
    );
    expect((await rejected(readIdxFile(join(dir, 'missing.gz')), VisionDataError)).reason).toBe('not-found');
  });
});

describe.runIf(hasFashionMnist())(`Fashion-MNIST from ${FASHION_MNIST_DIR}`, () => {
  it('reads the 10,000 t10k images and their labels', async () => {
    const test = await loadFashionMnist('test');
    expect(test).toMatchObject({ count: 10_000, width: 28, height: 28, channels: 1 });
    expect(test.classNames).toBe(FASHION_MNIST_CLASSES);
    // The first t10k labels as published: ankle boot, pullover, trouser, trouser, shirt.
    expect([...test.labels.subarray(0, 5)]).toEqual([9, 2, 1, 1, 6]);
    const counts = new Array(10).fill(0);
    for (const l of test.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(1000));
  });
});
