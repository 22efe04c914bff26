import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's root folder (this file runs from src/ under tsx and from dist/ when built). */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The shipped ConvLSTM forecaster: what `predict` and `eval --task predict` use without `--checkpoint`. */
export const PRETRAINED_FORECASTER = join(APP_ROOT, 'pretrained', 'moving-mnist-convlstm');
/** The shipped motion classifier run (BiGRU and its mean-pool baseline): `classify`, `summarize`, `eval --task classify`. */
export const PRETRAINED_CLASSIFIER = join(APP_ROOT, 'pretrained', 'moving-mnist-motion');
/** The classifier's checkpoint inside a classifier run folder. */
export const CLASSIFIER_DIR = 'model';
/** The mean-pooled-features baseline inside a classifier run folder (eval's non-recurrent baseline). */
export const BASELINE_DIR = 'baseline-mean-pool';
