import { join } from 'node:path';
import { readIdxFile } from './idx-file.js';
import type { LabeledImages } from './image-dataset.js';
import { sliceImages } from './image-dataset.js';
import { VisionDataError } from './vision-data-error.js';

/** Where Debian's `dataset-fashion-mnist` package installs the four idx files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's ten classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'trouser',
  'pullover',
  'dress',
  'coat',
  'sandal',
  'shirt',
  'sneaker',
  'bag',
  'ankle boot',
]);

/** Options of {@link loadFashionMnist}. */
export type MnistLoadOptions = {
  /** Folder holding the idx files (default {@link FASHION_MNIST_DIR}). */
  dir?: string;
  /** Keep only the first `limit` images. */
  limit?: number;
};

/**
 * Reads an idx image file (`[count, rows, cols]` unsigned bytes) and its
 * idx label file (`[count]`) into {@link LabeledImages}: the MNIST format, as
 * Fashion-MNIST, MNIST, KMNIST and EMNIST ship. Counts that disagree, wrong
 * ranks or element types are a `VisionDataError`.
 */
export async function readIdxImageSet(
  imagesPath: string,
  labelsPath: string,
  options: { limit?: number } = {},
): Promise<LabeledImages> {
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  if (images.shape.length !== 3 || !(images.data instanceof Uint8Array)) {
    throw new VisionDataError(
      'bad-record',
      imagesPath,
      `expected unsigned-byte images [count, rows, cols], got shape [${images.shape.join(', ')}]`,
    );
  }
  if (labels.shape.length !== 1 || !(labels.data instanceof Uint8Array)) {
    throw new VisionDataError(
      'bad-record',
      labelsPath,
      `expected unsigned-byte labels [count], got shape [${labels.shape.join(', ')}]`,
    );
  }
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new VisionDataError(
      'bad-record',
      labelsPath,
      `has ${labels.shape[0]} labels for ${count} images in ${imagesPath}`,
    );
  }
  if (height === 0 || width === 0) throw new VisionDataError('empty', imagesPath, `images are ${height}×${width}`);
  const set: LabeledImages = {
    count,
    width,
    height,
    channels: 1,
    pixels: images.data,
    labels: Int32Array.from(labels.data),
  };
  return options.limit === undefined ? set : sliceImages(set, 0, options.limit);
}

/**
 * Fashion-MNIST (60,000 train / 10,000 test 28×28 gray images of ten kinds of
 * clothing) from Debian's `dataset-fashion-mnist` or any folder holding
 * `{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz`.
 */
export async function loadFashionMnist(
  split: 'train' | 'test',
  options: MnistLoadOptions = {},
): Promise<LabeledImages> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const prefix = split === 'train' ? 'train' : 't10k';
  const set = await readIdxImageSet(
    join(dir, `${prefix}-images-idx3-ubyte.gz`),
    join(dir, `${prefix}-labels-idx1-ubyte.gz`),
    options.limit === undefined ? {} : { limit: options.limit },
  );
  return { ...set, classNames: FASHION_MNIST_CLASSES };
}
