import { assertPositiveInteger, ConfigError, describeValue } from '@seqgen/core';
import { atMost, checkConfigFields, checkConfigObject, definedOnly } from '../config-checks.js';
import { parameterCount } from '../lm-config.js';

/** Config `type` of {@link ConvLstmForecasterConfig}; the model registry dispatches on it. */
export const CONV_LSTM_FORECASTER_TYPE = 'conv-lstm-forecaster';

/** What the 1×1 output head applies to its result: `sigmoid` for pixels in [0, 1], `linear` for unbounded values. */
export type ForecasterOutputActivation = 'sigmoid' | 'linear';

/**
 * Everything that defines a ConvLSTM encoder–forecaster, as plain JSON: what a
 * checkpoint stores and `ConvLstmForecaster.fromConfig` rebuilds the model from.
 */
export type ConvLstmForecasterConfig = {
  /** Always `conv-lstm-forecaster`: the registry type that rebuilds the model. */
  type: typeof CONV_LSTM_FORECASTER_TYPE;
  /** Frame height in pixels (a multiple of `patchSize`). */
  height: number;
  /** Frame width in pixels (a multiple of `patchSize`). */
  width: number;
  /** Channels per pixel (1 for gray frames). */
  channels: number;
  /**
   * Space-to-depth patch size p: each p×p block of pixels becomes one position
   * with p²·channels channels before the ConvLSTM layers (OpenSTL runs Moving
   * MNIST at p = 4: 64×64×1 → 16×16×16); 1 leaves frames as they are.
   */
  patchSize: number;
  /** Hidden channels (filters) of each stacked ConvLSTM layer, bottom first. */
  hiddenChannels: number[];
  /** Odd spatial kernel size of every ConvLSTM convolution (input-to-state and state-to-state). */
  kernelSize: number;
  /** Frames the model reads before it predicts on its own: in training, the frames after them are rolled out autoregressively. */
  contextFrames: number;
  /** Activation of the 1×1 output head. */
  outputActivation: ForecasterOutputActivation;
  /** Initial forget-gate bias of every layer. */
  forgetBias: number;
  /**
   * Scheduled sampling while training: during the rolled-out frames, each
   * sequence is fed the true frame instead of its own prediction with the
   * trainer's `teacherForcingRatio` (schedule it with the trainer's
   * `teacherForcing` config, e.g. linear from 1 to 0, as OpenSTL's ConvLSTM
   * does). False: always its own prediction, as at test time.
   */
  scheduledSampling: boolean;
  /** Seed of the initial weights. */
  seed: number;
};

/** What a caller writes: the frame size is required, the rest has defaults. */
export type ConvLstmForecasterOptions = Partial<Omit<ConvLstmForecasterConfig, 'type'>> &
  Pick<ConvLstmForecasterConfig, 'height' | 'width'> & {
    /** `'conv-lstm-forecaster'` when given (so a saved config can be passed back as options); the only value allowed. */
    type?: typeof CONV_LSTM_FORECASTER_TYPE;
  };

/** Size limits a config is checked against before anything is allocated (hostile checkpoints). */
export type ForecasterConfigLimits = {
  /** Largest frame height or width (default 8,192). */
  maxFrameSide: number;
  /** Most channels of a frame, a patched frame or a hidden layer (default 65,536). */
  maxChannels: number;
  /** Most stacked ConvLSTM layers (default 256). */
  maxLayers: number;
  /** Largest kernel size (default 63). */
  maxKernelSize: number;
  /** Most context frames (default 65,536). */
  maxContextFrames: number;
  /** Most weights in all (default 2²⁹). */
  maxParameters: number;
};

/** Default {@link ForecasterConfigLimits}. */
export const DEFAULT_FORECASTER_CONFIG_LIMITS: Readonly<ForecasterConfigLimits> = Object.freeze({
  maxFrameSide: 8192,
  maxChannels: 65_536,
  maxLayers: 256,
  maxKernelSize: 63,
  maxContextFrames: 65_536,
  maxParameters: 2 ** 29,
});

/** Defaults of every optional field of {@link ConvLstmForecasterConfig} (OpenSTL's ConvLSTM on Moving MNIST). */
export const DEFAULT_CONV_LSTM_FORECASTER_CONFIG: Omit<ConvLstmForecasterConfig, 'height' | 'width'> = {
  type: CONV_LSTM_FORECASTER_TYPE,
  channels: 1,
  patchSize: 4,
  hiddenChannels: [64, 64, 64, 64],
  kernelSize: 5,
  contextFrames: 10,
  outputActivation: 'sigmoid',
  forgetBias: 1,
  scheduledSampling: false,
  seed: 0,
};

const KNOWN_FIELDS = new Set(['height', 'width', ...Object.keys(DEFAULT_CONV_LSTM_FORECASTER_CONFIG)]);

/**
 * Fills defaults and checks every field against `limits` before anything is
 * allocated, so that a hostile config from a file fails with a ConfigError
 * naming the field.
 */
export function resolveForecasterConfig(
  options: ConvLstmForecasterOptions,
  limits: Partial<ForecasterConfigLimits> = {},
): ConvLstmForecasterConfig {
  const max = { ...DEFAULT_FORECASTER_CONFIG_LIMITS, ...definedOnly(limits) };
  checkConfigObject(options);
  checkConfigFields(options, KNOWN_FIELDS, CONV_LSTM_FORECASTER_TYPE);
  const c = {
    ...DEFAULT_CONV_LSTM_FORECASTER_CONFIG,
    ...definedOnly(options),
    type: CONV_LSTM_FORECASTER_TYPE,
  } as ConvLstmForecasterConfig;
  for (const field of ['height', 'width', 'channels', 'patchSize', 'kernelSize', 'contextFrames'] as const) {
    assertPositiveInteger(field, c[field]);
  }
  atMost(c.height, max.maxFrameSide, 'height');
  atMost(c.width, max.maxFrameSide, 'width');
  atMost(c.channels, max.maxChannels, 'channels');
  atMost(c.kernelSize, max.maxKernelSize, 'kernelSize');
  atMost(c.contextFrames, max.maxContextFrames, 'contextFrames');
  if (c.kernelSize % 2 === 0) {
    throw new ConfigError('kernelSize', `must be odd (the convolutions are 'same'-padded), got ${c.kernelSize}`);
  }
  for (const side of ['height', 'width'] as const) {
    if (c[side] % c.patchSize !== 0) {
      throw new ConfigError('patchSize', `must divide ${side} (${c[side]}), got ${c.patchSize}`);
    }
  }
  atMost(c.channels * c.patchSize * c.patchSize, max.maxChannels, 'patchSize');
  if (!Array.isArray(c.hiddenChannels) || c.hiddenChannels.length === 0) {
    throw new ConfigError(
      'hiddenChannels',
      `must be a non-empty array of layer widths, got ${describeValue(c.hiddenChannels)}`,
    );
  }
  atMost(c.hiddenChannels.length, max.maxLayers, 'hiddenChannels.length');
  c.hiddenChannels.forEach((f, l) => {
    assertPositiveInteger(`hiddenChannels[${l}]`, f);
    atMost(f, max.maxChannels, `hiddenChannels[${l}]`);
  });
  if (c.outputActivation !== 'sigmoid' && c.outputActivation !== 'linear') {
    throw new ConfigError(
      'outputActivation',
      `must be "sigmoid" or "linear", got ${describeValue(c.outputActivation)}`,
    );
  }
  if (typeof c.forgetBias !== 'number' || !Number.isFinite(c.forgetBias)) {
    throw new ConfigError('forgetBias', `must be a finite number, got ${describeValue(c.forgetBias)}`);
  }
  if (typeof c.scheduledSampling !== 'boolean') {
    throw new ConfigError('scheduledSampling', `must be true or false, got ${describeValue(c.scheduledSampling)}`);
  }
  if (!Number.isInteger(c.seed) || c.seed < 0) {
    throw new ConfigError('seed', `must be a non-negative integer, got ${describeValue(c.seed)}`);
  }
  const parameters = parameterCount(forecasterWeightShapes(c));
  if (parameters > max.maxParameters) {
    throw new ConfigError(
      'config',
      `asks for ${parameters} parameters (hiddenChannels [${c.hiddenChannels.join(', ')}], kernelSize ${c.kernelSize}, ${patchChannels(c)} patch channels), over the limit of ${max.maxParameters}; pass a larger maxParameters to allow it`,
    );
  }
  return { ...c, hiddenChannels: [...c.hiddenChannels] };
}

/** Channels of a frame after the space-to-depth patch reshape: `channels · patchSize²`. */
export function patchChannels(c: Pick<ConvLstmForecasterConfig, 'channels' | 'patchSize'>): number {
  return c.channels * c.patchSize * c.patchSize;
}

/** The names and shapes of every weight of a forecaster (resolved config), by the names of its `variables`. */
export function forecasterWeightShapes(c: ConvLstmForecasterConfig): Record<string, number[]> {
  const k = c.kernelSize;
  const out: Record<string, number[]> = {};
  let inputs = patchChannels(c);
  c.hiddenChannels.forEach((f, l) => {
    out[`layers.${l}/kernel`] = [k, k, inputs, 4 * f];
    out[`layers.${l}/recurrentKernel`] = [k, k, f, 4 * f];
    out[`layers.${l}/bias`] = [4 * f];
    inputs = f;
  });
  out['head/kernel'] = [inputs, patchChannels(c)];
  out['head/bias'] = [patchChannels(c)];
  return out;
}
