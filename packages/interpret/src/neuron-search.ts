import { assertPositiveInteger, ConfigError, ShapeError } from '@seqgen/core';
import { pearson } from './correlation.js';
import type { StepTrace, UnitRef } from './sequence-trace.js';

/** A unit and its Pearson correlation with a feature. */
export type UnitCorrelation = UnitRef & {
  /** Pearson correlation of the unit's activation with the feature over the steps, in [−1, 1]. */
  correlation: number;
};

/** Options of {@link rankUnits}. */
export type RankUnitsOptions = {
  /** Quantities to search (default `['c', 'h']`, those the trace has). */
  quantities?: readonly string[];
  /** Layers to search (default: all). */
  layers?: readonly number[];
  /** How many units to return (default 10). */
  top?: number;
};

/**
 * Ranks every unit of the chosen layers and quantities by |Pearson
 * correlation| of its per-step activation with `feature` (one value per
 * step), strongest first (Karpathy, Johnson & Fei-Fei 2015). A feature whose
 * length is not the trace's step count is a ShapeError.
 */
export function rankUnits(
  trace: StepTrace,
  feature: ArrayLike<number>,
  options: RankUnitsOptions = {},
): UnitCorrelation[] {
  checkFeature(trace, feature, 'feature', 'rankUnits');
  const top = options.top ?? 10;
  assertPositiveInteger('top', top);
  const layers = options.layers ?? trace.layers.map((_, l) => l);
  const wanted = options.quantities ?? ['c', 'h'];
  const found: UnitCorrelation[] = [];
  const column = new Float32Array(trace.steps);
  for (const layer of layers) {
    const traced = trace.layers[layer];
    if (!traced) throw new ConfigError('layers', `layer ${layer} is not in the trace (it has ${trace.layers.length})`);
    for (const quantity of wanted) {
      const q = traced.quantities[quantity];
      if (!q) continue;
      for (let unit = 0; unit < q.size; unit++) {
        for (let t = 0; t < trace.steps; t++) column[t] = q.values[t * q.size + unit] as number;
        found.push({ layer, quantity, unit, correlation: pearson(column, feature) });
      }
    }
  }
  if (found.length === 0) {
    throw new ConfigError('quantities', `none of ${wanted.join(', ')} is in the trace's layers ${layers.join(', ')}`);
  }
  found.sort((a, b) => Math.abs(b.correlation) - Math.abs(a.correlation));
  return found.slice(0, top);
}

/** Throws a ShapeError unless `feature` has one finite number per traced step. */
export function checkFeature(trace: StepTrace, feature: ArrayLike<number>, argument: string, context: string): void {
  if (feature === null || typeof feature !== 'object' || typeof feature.length !== 'number') {
    throw new ShapeError(argument, `an array of ${trace.steps} numbers (one per step)`, typeof feature, context);
  }
  if (feature.length !== trace.steps) {
    throw new ShapeError(argument, `${trace.steps} values (one per traced step)`, `${feature.length}`, context);
  }
  for (let t = 0; t < feature.length; t++) {
    if (!Number.isFinite(feature[t]))
      throw new ShapeError(`${argument}[${t}]`, 'a finite number', String(feature[t]), context);
  }
}
