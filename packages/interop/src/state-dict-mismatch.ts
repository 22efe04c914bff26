import { CheckpointError } from '@seqgen/core';

/** A weight whose shape in the state dict differs from the one the architecture needs. */
export type MisshapedWeight = {
  /** The state-dict name, e.g. `rnn.weight_ih_l0`. */
  name: string;
  /** The shape the configured architecture needs. */
  expected: number[];
  /** The shape the state dict holds. */
  actual: number[];
};

/** Every way a state dict failed to fit an architecture, as {@link StateDictMismatchError} reports it. */
export type StateDictReport = {
  /** Names the architecture needs that the state dict lacks. */
  missing: string[];
  /** Names the state dict holds that the architecture has no place for. */
  unexpected: string[];
  /** Names present on both sides with different shapes. */
  misshaped: MisshapedWeight[];
};

/**
 * A state dict does not fit the configured architecture: a `CheckpointError`
 * (`reason` `'invalid-weights'`) whose message and {@link StateDictReport}
 * fields list every missing, unexpected and mis-shaped name at once, so that
 * one run shows everything that has to change.
 */
export class StateDictMismatchError extends CheckpointError {
  /** Names the architecture needs that the state dict lacks. */
  readonly missing: string[];
  /** Names the state dict holds that the architecture has no place for. */
  readonly unexpected: string[];
  /** Names present on both sides with different shapes. */
  readonly misshaped: MisshapedWeight[];
  constructor(source: string, architecture: string, report: StateDictReport) {
    const parts: string[] = [];
    if (report.missing.length) parts.push(`missing ${report.missing.join(', ')}`);
    if (report.unexpected.length) parts.push(`unexpected ${report.unexpected.join(', ')}`);
    if (report.misshaped.length) {
      parts.push(
        `mis-shaped ${report.misshaped.map((m) => `${m.name} (expected [${m.expected}], got [${m.actual}])`).join(', ')}`,
      );
    }
    super('invalid-weights', source, `state dict does not fit ${architecture}: ${parts.join('; ')}`);
    this.missing = report.missing;
    this.unexpected = report.unexpected;
    this.misshaped = report.misshaped;
  }
}

/**
 * Compares a state dict's names and shapes with the ones an architecture
 * needs; throws a {@link StateDictMismatchError} listing every difference.
 */
export function checkStateDict(
  expected: Record<string, number[]>,
  stateDict: Record<string, { shape: readonly number[] }>,
  source: string,
  architecture: string,
): void {
  const report: StateDictReport = { missing: [], unexpected: [], misshaped: [] };
  for (const [name, shape] of Object.entries(expected)) {
    const t = stateDict[name];
    if (!t) report.missing.push(name);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      report.misshaped.push({ name, expected: shape, actual: [...t.shape] });
    }
  }
  for (const name of Object.keys(stateDict)) if (!(name in expected)) report.unexpected.push(name);
  if (report.missing.length || report.unexpected.length || report.misshaped.length) {
    throw new StateDictMismatchError(source, architecture, report);
  }
}
