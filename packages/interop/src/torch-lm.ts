import { ConfigError } from '@seqgen/core';
import { RecurrentLanguageModel, type RecurrentLMConfig, resolveLMConfig } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';
import { assertFinite, type ImportWeightsOptions } from './finite.js';
import { exportTorchWeights, importTorchWeights, type TorchTensorData } from './pytorch.js';
import type { SafeTensor } from './safetensors.js';
import { checkStateDict } from './state-dict-mismatch.js';
import { torchRnnShapes } from './torch-rnn-shapes.js';

/**
 * The PyTorch state-dict names and shapes of a `RecurrentLanguageModel` with
 * this config, as `python/seqgen_torch`'s `RecurrentLM` holds them:
 * `embedding.weight` `[V, E]`, `rnn.*` (an `nn.LSTM/GRU/RNN`), `head.weight`
 * `[V, top]` (absent when tied: PyTorch shares `embedding.weight`) and `head.bias` `[V]`.
 */
export function torchLMShapes(config: RecurrentLMConfig): Record<string, number[]> {
  checkTorchCompatible(config);
  const top = config.projSize ?? config.hiddenSize;
  return {
    'embedding.weight': [config.vocabSize, config.embeddingSize],
    ...torchRnnShapes({ ...config, inputSize: config.embeddingSize }, 'rnn.'),
    ...(config.tieWeights ? {} : { 'head.weight': [config.vocabSize, top] }),
    'head.bias': [config.vocabSize],
  };
}

/** Refuses the options PyTorch's recurrent modules have no counterpart for. */
function checkTorchCompatible(config: RecurrentLMConfig): void {
  if (config.layerNorm) {
    throw new ConfigError(
      'layerNorm',
      'has no PyTorch nn.LSTM counterpart: export a model without layer normalization',
    );
  }
  if (config.cell === 'gru' && !config.resetAfter) {
    throw new ConfigError('resetAfter', 'must be true for PyTorch (nn.GRU applies the reset gate after the matmul)');
  }
}

/** The PyTorch state dict of a language model (names of {@link torchLMShapes}). */
export function exportTorchLM(model: RecurrentLanguageModel): Record<string, TorchTensorData> {
  checkTorchCompatible(model.config);
  const v = model.variables;
  const out: Record<string, TorchTensorData> = {};
  const put = (name: string, t: tf.Tensor) => {
    out[name] = { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
  };
  put('embedding.weight', v.embedding as tf.Variable);
  for (const [name, t] of Object.entries(exportTorchWeights(model.rnn))) out[`rnn.${name}`] = t;
  const kernel = v['output/kernel'];
  if (kernel) {
    const transposed = tf.transpose(kernel);
    put('head.weight', transposed);
    transposed.dispose();
  }
  put('head.bias', v['output/bias'] as tf.Variable);
  return out;
}

/**
 * Builds a language model from its config and a PyTorch state dict. Every
 * name and shape is checked first (a `StateDictMismatchError` lists all that
 * differ) and every value must be finite unless `allowNonFinite`; nothing is
 * built until the state dict fits.
 */
export function importTorchLM(
  config: RecurrentLMConfig,
  stateDict: Record<string, SafeTensor>,
  source: string,
  options: ImportWeightsOptions = {},
): RecurrentLanguageModel {
  // The config is checked (a ConfigError naming the field) and the weights compared before anything is allocated.
  const c = resolveLMConfig(config);
  checkStateDict(torchLMShapes(c), stateDict, source, `a ${c.numLayers}-layer ${c.cell} recurrent-lm`);
  if (!options.allowNonFinite) {
    for (const [name, t] of Object.entries(stateDict)) assertFinite(name, t.data, 'importTorchModel');
  }
  const resolved = RecurrentLanguageModel.fromConfig(c);
  try {
    const v = resolved.variables;
    const tensor = (name: string) => {
      const t = stateDict[name] as SafeTensor;
      return tf.tensor(t.data, t.shape, 'float32');
    };
    importTorchWeights(resolved.rnn, stateDict, 'rnn.', { allowNonFinite: true });
    tf.tidy(() => {
      (v.embedding as tf.Variable).assign(tensor('embedding.weight'));
      if (!c.tieWeights) (v['output/kernel'] as tf.Variable).assign(tf.transpose(tensor('head.weight')));
      (v['output/bias'] as tf.Variable).assign(tensor('head.bias'));
    });
    return resolved;
  } catch (error) {
    resolved.dispose();
    throw error;
  }
}
