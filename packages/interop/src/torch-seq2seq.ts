import { resolveSeq2SeqConfig, Seq2Seq, type Seq2SeqConfig } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';
import { assertFinite, type ImportWeightsOptions } from './finite.js';
import { exportTorchWeights, importTorchWeights, type TorchTensorData } from './pytorch.js';
import type { SafeTensor } from './safetensors.js';
import { checkStateDict } from './state-dict-mismatch.js';
import { torchRnnShapes } from './torch-rnn-shapes.js';

/** One weight outside the recurrent stacks: its PyTorch name, its seqgen variable name, and whether the layouts are transposed. */
type Mapped = { torch: string; seqgen: string; transpose: boolean };

/**
 * The weights of a `Seq2Seq` outside its two recurrent stacks, as
 * `python/seqgen_torch`'s `Seq2Seq` names them: embeddings, the bridge
 * (`nn.Linear` per decoder layer and state part), attention, the combine
 * layer and the output head. seqgen kernels are `[in, out]`, `nn.Linear`
 * weights `[out, in]`: those are transposed. Luong's general kernel is
 * `[H, D]` in both (seqgen projects the memory with its transpose).
 */
function mappedWeights(c: Seq2SeqConfig): Mapped[] {
  const out: Mapped[] = [{ torch: 'encoder.embedding.weight', seqgen: 'encoder/embedding', transpose: false }];
  for (let l = 0; l < c.decoderLayers; l++) {
    for (const part of c.cell === 'lstm' ? ['h', 'c'] : ['h']) {
      out.push({ torch: `bridge.${l}.${part}.weight`, seqgen: `bridge/layers.${l}/${part}/kernel`, transpose: true });
      out.push({ torch: `bridge.${l}.${part}.bias`, seqgen: `bridge/layers.${l}/${part}/bias`, transpose: false });
    }
  }
  out.push({ torch: 'decoder.embedding.weight', seqgen: 'decoder/embedding', transpose: false });
  if (c.attention === 'bahdanau') {
    out.push(
      { torch: 'decoder.attention.query.weight', seqgen: 'decoder/attention/queryKernel', transpose: true },
      { torch: 'decoder.attention.memory.weight', seqgen: 'decoder/attention/memoryKernel', transpose: true },
      { torch: 'decoder.attention.memory.bias', seqgen: 'decoder/attention/bias', transpose: false },
      { torch: 'decoder.attention.score.weight', seqgen: 'decoder/attention/scoreVector', transpose: true },
    );
  } else if (c.attention === 'luong-general') {
    out.push({ torch: 'decoder.attention.memory.weight', seqgen: 'decoder/attention/kernel', transpose: false });
  }
  if (c.attention !== 'none') {
    out.push({ torch: 'decoder.combine.weight', seqgen: 'decoder/combine/kernel', transpose: true });
  }
  if (!c.tieWeights) out.push({ torch: 'decoder.head.weight', seqgen: 'decoder/output/kernel', transpose: true });
  out.push({ torch: 'decoder.head.bias', seqgen: 'decoder/output/bias', transpose: false });
  return out;
}

/** The PyTorch state-dict names and shapes of a `Seq2Seq` with this (resolved) config. */
export function torchSeq2SeqShapes(config: Seq2SeqConfig): Record<string, number[]> {
  const c = config;
  const seqgen = Seq2Seq.weightShapes(c);
  const out: Record<string, number[]> = {};
  const rnn = (prefix: string, inputSize: number, numLayers: number, bidirectional: boolean) =>
    Object.assign(
      out,
      torchRnnShapes(
        { cell: c.cell, inputSize, hiddenSize: c.hiddenSize, numLayers, projSize: null, bidirectional },
        prefix,
      ),
    );
  rnn('encoder.rnn.', c.embeddingSize, c.encoderLayers, c.bidirectional);
  const feed = c.inputFeeding && c.attention !== 'none' ? c.hiddenSize : 0;
  rnn('decoder.rnn.', c.embeddingSize + feed, c.decoderLayers, false);
  for (const m of mappedWeights(c)) {
    const shape = seqgen[m.seqgen] as number[];
    out[m.torch] = m.transpose ? [...shape].reverse() : shape;
  }
  return out;
}

/** The PyTorch state dict of a `Seq2Seq` (names of {@link torchSeq2SeqShapes}). */
export function exportTorchSeq2Seq(model: Seq2Seq): Record<string, TorchTensorData> {
  const out: Record<string, TorchTensorData> = {};
  for (const [name, t] of Object.entries(exportTorchWeights(model.encoder))) out[`encoder.rnn.${name}`] = t;
  for (const [name, t] of Object.entries(exportTorchWeights(model.decoder.rnn))) out[`decoder.rnn.${name}`] = t;
  const v = model.variables;
  for (const m of mappedWeights(model.config)) {
    const value = v[m.seqgen] as tf.Variable;
    const t = m.transpose ? tf.transpose(value) : value;
    out[m.torch] = { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
    if (t !== value) t.dispose();
  }
  return out;
}

/**
 * Builds a `Seq2Seq` from its config and a PyTorch state dict, every name and
 * shape checked first (a `StateDictMismatchError` lists all that differ).
 */
export function importTorchSeq2Seq(
  config: Seq2SeqConfig,
  stateDict: Record<string, SafeTensor>,
  source: string,
  options: ImportWeightsOptions = {},
): Seq2Seq {
  const c = resolveSeq2SeqConfig(config);
  checkStateDict(torchSeq2SeqShapes(c), stateDict, source, `a ${c.cell} seq2seq with ${c.attention} attention`);
  if (!options.allowNonFinite) {
    for (const [name, t] of Object.entries(stateDict)) assertFinite(name, t.data, 'importTorchModel');
  }
  const model = Seq2Seq.fromConfig(c);
  try {
    importTorchWeights(model.encoder, stateDict, 'encoder.rnn.', { allowNonFinite: true });
    importTorchWeights(model.decoder.rnn, stateDict, 'decoder.rnn.', { allowNonFinite: true });
    const v = model.variables;
    tf.tidy(() => {
      for (const m of mappedWeights(c)) {
        const t = stateDict[m.torch] as SafeTensor;
        const value = tf.tensor(t.data, t.shape, 'float32');
        (v[m.seqgen] as tf.Variable).assign(m.transpose ? tf.transpose(value) : value);
      }
    });
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
