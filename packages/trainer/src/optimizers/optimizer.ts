import type { JsonObject, WeightArray } from '@seqgen/core';
import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Base of seqgen's optimizers. They are written here rather than taken from
 * `tf.train` so that every slot (moments, momentum buffers) has a stable name,
 * can be read for checkpoints and written back on resume, and so that each
 * parameter can get its own learning rate (transfer learning) — none of which
 * `tf.train` optimizers expose cleanly.
 */
export abstract class Optimizer {
  /** Optimizer name, as in {@link OptimizerConfig}'s `type`. */
  abstract readonly type: string;
  /** Slots each parameter gets, e.g. `['m', 'v']` for Adam. */
  protected abstract readonly slotNames: readonly string[];
  /** Updates taken; bias corrections depend on it, so it is saved. */
  iterations = 0;
  private readonly slots = new Map<string, Record<string, tf.Variable>>();

  /** One in-place update of `params[name]` for every gradient given; `learningRate(name)` may differ per parameter. */
  apply(
    params: Record<string, tf.Variable>,
    grads: Record<string, tf.Tensor>,
    learningRate: (name: string) => number,
  ): void {
    this.iterations++;
    for (const [name, grad] of Object.entries(grads)) {
      const param = params[name];
      if (!param) throw new ShapeError('grads', `a gradient for a known parameter`, `a gradient for "${name}"`);
      const slots = this.slotsFor(name, param);
      tf.tidy(() => this.update(param, grad, slots, learningRate(name)));
    }
  }

  /** Updates one parameter in place from its gradient, slots and learning rate (run inside a tidy). */
  protected abstract update(param: tf.Variable, grad: tf.Tensor, slots: Record<string, tf.Variable>, lr: number): void;

  /** Hyperparameters, for the log and checkpoint metadata. */
  abstract getConfig(): JsonObject;

  private slotsFor(name: string, param: tf.Variable): Record<string, tf.Variable> {
    let slots = this.slots.get(name);
    if (!slots) {
      slots = {};
      for (const s of this.slotNames) slots[s] = tf.variable(tf.zerosLike(param), false);
      this.slots.set(name, slots);
    }
    return slots;
  }

  /** Every slot as `<param>/<slot>` (tensors owned by the optimizer: read, do not dispose). */
  getSlots(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [name, slots] of this.slots) for (const [s, v] of Object.entries(slots)) out[`${name}/${s}`] = v;
    return out;
  }

  /** Restores slots saved by {@link getSlots}; `params` gives the expected shapes. */
  setSlots(saved: Record<string, WeightArray>, params: Record<string, tf.Variable>): void {
    this.dispose();
    for (const [name, param] of Object.entries(params)) {
      const present = this.slotNames.filter((s) => saved[`${name}/${s}`]);
      if (present.length === 0) continue; // never updated (frozen) before the save
      const slots: Record<string, tf.Variable> = {};
      for (const s of this.slotNames) {
        const w = saved[`${name}/${s}`];
        if (!w) throw new ShapeError(`optimizer slot ${name}/${s}`, 'present', 'missing');
        if (w.shape.join(',') !== param.shape.join(',')) {
          throw new ShapeError(`optimizer slot ${name}/${s}`, `shape [${param.shape}]`, `[${w.shape}]`);
        }
        slots[s] = tf.variable(tf.tensor(w.data as Float32Array, w.shape, 'float32'), false);
      }
      this.slots.set(name, slots);
    }
  }

  /** Frees every slot variable; slots start again from zeros on the next update. */
  dispose(): void {
    for (const slots of this.slots.values()) for (const v of Object.values(slots)) v.dispose();
    this.slots.clear();
  }
}
