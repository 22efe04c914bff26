import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FASHION_MNIST_DIR } from '../mnist-datasets.js';

/**
 * Whether Debian's `dataset-fashion-mnist` is installed: tests that read it
 * skip when it is not, unless SEQGEN_DATA_REQUIRED=1 (CI), where this throws.
 */
export function hasFashionMnist(): boolean {
  const present = existsSync(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'));
  if (!present && process.env.SEQGEN_DATA_REQUIRED === '1') {
    throw new Error(
      `Fashion-MNIST missing in ${FASHION_MNIST_DIR}: apt-get install dataset-fashion-mnist (SEQGEN_DATA_REQUIRED=1)`,
    );
  }
  return present;
}
