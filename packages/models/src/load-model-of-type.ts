import {
  CheckpointError,
  type CheckpointSource,
  describeValue,
  type LoadCheckpointOptions,
  type ModelConfig,
} from '@seqgen/core';
import { type CheckpointableModel, describeSource, type LoadedModel, loadModel } from './checkpoint-io.js';

/** How a model class builds itself and sizes its weights from a checkpoint's config. */
export type ModelOfType<M> = {
  /** The model type a checkpoint must hold (its manifest's `config.type`). */
  type: string;
  /** Builds a fresh model from the saved config (its weights are then overwritten). */
  build: (config: ModelConfig) => M;
  /** Every weight's name and shape for the saved config, checked before `build` allocates anything. */
  weightShapes: (config: ModelConfig) => Record<string, number[]>;
};

/**
 * `loadModel` for one model class: a checkpoint that holds another model type
 * is a CheckpointError 'invalid-manifest' naming the source, raised before
 * the config's weight shapes are computed or anything is built.
 */
export function loadModelOfType<M extends CheckpointableModel>(
  source: CheckpointSource,
  options: LoadCheckpointOptions,
  model: ModelOfType<M>,
): Promise<LoadedModel<M>> {
  const path = describeSource(source);
  const checkSavedType = (config: ModelConfig): void => {
    if (config.type !== model.type) {
      throw new CheckpointError(
        'invalid-manifest',
        path,
        `holds a ${describeValue(config.type)} model, not "${model.type}" (modelFromCheckpoint loads any registered type)`,
      );
    }
  };
  return loadModel(
    source,
    (config) => {
      checkSavedType(config);
      return model.build(config);
    },
    options,
    (config) => {
      checkSavedType(config);
      return model.weightShapes(config);
    },
  );
}
