import { ConfigError } from '@seqgen/core';
import type { StepTrace } from './sequence-trace.js';

/** Sigmoid gates by cell type: the ones whose saturation is measured. */
const SIGMOID_GATES: Record<string, readonly string[]> = { lstm: ['i', 'f', 'o'], gru: ['r', 'z'] };

/** How often one gate of one layer is saturated, per unit and on average. */
export type GateSaturation = {
  /** Layer index. */
  layer: number;
  /** Gate name (`i`, `f`, `o`; `r`, `z`). */
  gate: string;
  /** Per unit: fraction of steps with the gate below `low` (left-saturated). */
  left: Float32Array;
  /** Per unit: fraction of steps with the gate above `high` (right-saturated). */
  right: Float32Array;
  /** Mean of `left` over units. */
  meanLeft: number;
  /** Mean of `right` over units. */
  meanRight: number;
};

/** Thresholds of {@link gateSaturation}. */
export type GateSaturationOptions = {
  /** Below this a gate is left-saturated (default 0.1). */
  low?: number;
  /** Above this a gate is right-saturated (default 0.9). */
  high?: number;
};

/**
 * Fraction of steps each sigmoid gate of each layer spends below `low` and
 * above `high` (Karpathy et al. 2015, figure 3). Layers whose cell has no
 * gates (vanilla RNN) give none.
 */
export function gateSaturation(trace: StepTrace, options: GateSaturationOptions = {}): GateSaturation[] {
  const low = options.low ?? 0.1;
  const high = options.high ?? 0.9;
  if (!(low >= 0 && low < high && high <= 1)) {
    throw new ConfigError('low/high', `must satisfy 0 ≤ low < high ≤ 1, got low ${low}, high ${high}`);
  }
  const out: GateSaturation[] = [];
  trace.layers.forEach((layer, l) => {
    for (const gate of SIGMOID_GATES[layer.cell] ?? []) {
      const q = layer.quantities[gate];
      if (!q) continue;
      const left = new Float32Array(q.size);
      const right = new Float32Array(q.size);
      for (let t = 0; t < trace.steps; t++) {
        for (let u = 0; u < q.size; u++) {
          const v = q.values[t * q.size + u] as number;
          if (v < low) left[u] = (left[u] as number) + 1;
          else if (v > high) right[u] = (right[u] as number) + 1;
        }
      }
      for (let u = 0; u < q.size; u++) {
        left[u] = (left[u] as number) / trace.steps;
        right[u] = (right[u] as number) / trace.steps;
      }
      out.push({ layer: l, gate, left, right, meanLeft: mean(left), meanRight: mean(right) });
    }
  });
  return out;
}

function mean(values: Float32Array): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
}
