import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Holds a layer's trainable variables under stable logical names. tfjs
 * variable names must be unique per process, so the engine names them and we
 * keep our own map.
 */
export class WeightStore {
  readonly variables: Record<string, tf.Variable> = {};

  add(name: string, initial: tf.Tensor): tf.Variable {
    const v = tf.variable(initial, true);
    initial.dispose();
    this.variables[name] = v;
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.variables[name];
    if (!v) throw new Error(`no weight named "${name}"`);
    return v;
  }

  /** Copies values into existing weights, checking every shape first so that nothing changes on error. */
  assign(values: Record<string, tf.Tensor>, owner: string): void {
    for (const [name, value] of Object.entries(values)) {
      const v = this.variables[name];
      if (!v)
        throw new ShapeError(name, `one of ${Object.keys(this.variables).join(', ')}`, 'an unknown weight', owner);
      if (!tf.util.arraysEqual(v.shape, value.shape)) {
        throw new ShapeError(name, `[${v.shape}]`, `[${value.shape}]`, owner);
      }
    }
    for (const [name, value] of Object.entries(values)) (this.variables[name] as tf.Variable).assign(value);
  }

  dispose(): void {
    for (const v of Object.values(this.variables)) v.dispose();
  }
}
