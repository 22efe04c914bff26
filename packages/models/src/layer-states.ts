import { ShapeError } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { checkFloatShape } from './input-checks.js';

/**
 * Checks a flat recurrent state (`[h₀, c₀, h₁, c₁, …]`, each `[batch, size]`)
 * against a stack's layout, `sizes[l]` being layer l's state sizes, and
 * regroups it per layer; `cell` names the cell type in the message.
 */
export function splitLayerStates(
  state: readonly tf.Tensor[],
  sizes: readonly (readonly number[])[],
  batch: number,
  cell: string,
  argument: string,
  context: string,
): tf.Tensor[][] {
  const flat = sizes.flat();
  if (!Array.isArray(state) || state.length !== flat.length) {
    const got = Array.isArray(state) ? `${state.length} tensors` : typeof state;
    throw new ShapeError(argument, `${flat.length} tensors (${cell} state per layer)`, got, context);
  }
  state.forEach((s, k) => {
    checkFloatShape(s, `${argument}[${k}]`, [batch, flat[k] as number], context);
  });
  let at = 0;
  return sizes.map((layer) => {
    const part = state.slice(at, at + layer.length);
    at += layer.length;
    return part;
  });
}
