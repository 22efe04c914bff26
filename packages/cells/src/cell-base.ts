import type * as tf from '@tensorflow/tfjs';
import { WeightStore } from './weights.js';

/** What every cell does the same way: owning its weights, replacing them by name, disposing them. */
export abstract class CellBase {
  /** The cell's weights by name, which `variables` exposes and `setWeights` replaces. */
  protected readonly store = new WeightStore();

  get variables(): Readonly<Record<string, tf.Variable>> {
    return this.store.variables;
  }

  /** Replaces weights by name; every shape is checked before any is changed. */
  setWeights(values: Record<string, tf.Tensor>): void {
    this.store.assign(values, `${this.constructor.name}.setWeights`);
  }

  /** Frees the cell's weights; the cell cannot be used afterwards. */
  dispose(): void {
    this.store.dispose();
  }
}
