import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, resolveCheckpoint } from '@seqgen/app-kit';
import { ConvLstmForecaster, VideoClassifier } from '@seqgen/models';
import { DEFAULT_FEATURE_SPEC, type FeatureSpec } from './clip-features-data.js';
import { BASELINE_DIR, CLASSIFIER_DIR, PRETRAINED_CLASSIFIER, PRETRAINED_FORECASTER } from './paths.js';

/** Loads a forecaster checkpoint (a folder, a `.seqgen` file or a run folder); the shipped one by default. */
export async function loadForecaster(path: string = PRETRAINED_FORECASTER): Promise<ConvLstmForecaster> {
  return (await ConvLstmForecaster.load(resolveCheckpoint(path))).model;
}

/** A loaded motion classifier and how its features are made. */
export type LoadedClassifier = { model: VideoClassifier; features: FeatureSpec; path: string };

/** The classifier of a classifier run folder (its `model/`), or a classifier checkpoint itself; the shipped one by default. */
export async function loadClassifier(
  path: string = PRETRAINED_CLASSIFIER,
  sub = CLASSIFIER_DIR,
): Promise<LoadedClassifier> {
  const inRun = join(path, sub);
  const dir = existsSync(inRun) ? inRun : path;
  const loaded = await VideoClassifier.load(resolveCheckpoint(dir));
  const features = (loaded.metadata as { features?: FeatureSpec } | undefined)?.features ?? DEFAULT_FEATURE_SPEC;
  if (typeof features.grid !== 'number' || typeof features.frames !== 'number') {
    loaded.model.dispose();
    throw new InputError(`--checkpoint ${path}: its metadata.features is not a feature spec`, path);
  }
  return { model: loaded.model, features, path: dir };
}

/** The mean-pooled-features baseline a classifier run folder carries, or null. */
export async function loadBaseline(path: string = PRETRAINED_CLASSIFIER): Promise<LoadedClassifier | null> {
  if (!existsSync(join(path, BASELINE_DIR))) return null;
  return loadClassifier(path, BASELINE_DIR);
}
