import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../errors.js';
import type { WeightArray } from './weights.js';

/**
 * Weight names starting with this belong to the trainer (optimizer slots,
 * carried recurrent state), never to a model: model loading and transfer
 * learning skip them, and no model parameter may be named so.
 */
export const TRAINER_ENTRY_PREFIX = '@';

/** True for a trainer entry (`@optimizer/…`, `@state/…`) rather than a model weight. */
export function isTrainerEntry(name: string): boolean {
  return name.startsWith(TRAINER_ENTRY_PREFIX);
}

/** How {@link assignWeights} treats weights the model lacks or has extra; by default every name must match. */
export interface AssignWeightsOptions {
  /** Where the weights came from (a checkpoint path), named in errors. Default `"weights"`. */
  source?: string;
  /**
   * Model variables the weights may lack: they keep their current values
   * (transfer learning: new layers stay freshly initialized). Default false:
   * a missing weight is an error.
   */
  allowMissing?: boolean;
  /** Weights the model may lack (transfer learning from a larger model). Default false: an error. */
  allowUnexpected?: boolean;
  /** Only these variables are assigned (others count as missing). Default: all. */
  include?: (name: string) => boolean;
}

/** What {@link assignWeights} did: which variables it loaded, which it left unchanged, which weights it ignored. */
export interface AssignReport {
  /** Variables assigned, in the model's order. */
  loaded: string[];
  /** Variables the weights lack (or not included): unchanged. */
  missing: string[];
  /** Weights the model has no variable for (trainer entries are not counted). */
  unexpected: string[];
}

/**
 * Copies named weights into a model's variables — the one way seqgen loads
 * weights (model loading, transfer learning, trainer restore), with one
 * policy: every shape and dtype is checked, and missing and unexpected names
 * collected, before any variable changes, so a refused load leaves the model
 * as it was. Any mismatch is a {@link CheckpointError} (`invalid-weights`)
 * naming each offending weight and `source`.
 */
export function assignWeights(
  variables: Record<string, tf.Variable>,
  weights: Record<string, WeightArray>,
  options: AssignWeightsOptions = {},
): AssignReport {
  const source = options.source ?? 'weights';
  const include = options.include ?? (() => true);
  const loaded: string[] = [];
  const missing: string[] = [];
  const problems: string[] = [];
  for (const [name, variable] of Object.entries(variables)) {
    const w = Object.hasOwn(weights, name) ? weights[name] : undefined;
    if (!w || !include(name)) {
      missing.push(name);
      continue;
    }
    if (w.dtype !== variable.dtype) problems.push(`"${name}" is ${w.dtype}, the model needs ${variable.dtype}`);
    else if (!tf.util.arraysEqual(w.shape, variable.shape))
      problems.push(`"${name}" has shape [${w.shape}], the model needs [${variable.shape}]`);
    else loaded.push(name);
  }
  const unexpected = Object.keys(weights).filter((n) => !isTrainerEntry(n) && !Object.hasOwn(variables, n));
  const absent = missing.filter((n) => Object.hasOwn(weights, n) === false);
  if (!options.allowMissing && absent.length > 0) problems.push(`lacks ${quoteList(absent)}`);
  if (!options.allowUnexpected && unexpected.length > 0)
    problems.push(`has ${quoteList(unexpected)}, which the model does not have (its config and weights disagree)`);
  if (problems.length > 0) {
    throw new CheckpointError('invalid-weights', source, `weights do not fit the model: ${problems.join('; ')}`);
  }
  for (const name of loaded) {
    const w = weights[name] as WeightArray;
    const variable = variables[name] as tf.Variable;
    tf.tidy(() => variable.assign(tf.tensor(w.data as Float32Array | Int32Array, w.shape, variable.dtype)));
  }
  return { loaded, missing, unexpected };
}

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => `"${n}"`);
  return `weight${names.length > 1 ? 's' : ''} ${shown.join(', ')}${names.length > 8 ? ` and ${names.length - 8} more` : ''}`;
}
