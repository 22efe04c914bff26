import { ShapeError } from '@seqgen/base';

/**
 * Normalizes the two reference layouts metrics accept to one list of
 * references per hypothesis: `string[]` (one reference each) or `string[][]`
 * (`references[i]` = every reference of hypothesis i, at least one).
 */
export function referencesPerHypothesis(
  hypotheses: readonly string[],
  references: readonly string[] | readonly (readonly string[])[],
  metric: string,
): (readonly string[])[] {
  if (!Array.isArray(hypotheses) || hypotheses.some((h) => typeof h !== 'string')) {
    throw new ShapeError('hypotheses', 'an array of strings', describe(hypotheses), metric);
  }
  if (!Array.isArray(references) || references.length !== hypotheses.length) {
    throw new ShapeError(
      'references',
      `an array of ${hypotheses.length} entries (one per hypothesis)`,
      Array.isArray(references) ? `${references.length} entries` : describe(references),
      metric,
    );
  }
  return references.map((entry, i) => {
    const refs = typeof entry === 'string' ? [entry] : entry;
    if (!Array.isArray(refs) || refs.length === 0 || refs.some((r) => typeof r !== 'string')) {
      throw new ShapeError(`references[${i}]`, 'a string or a non-empty array of strings', describe(entry), metric);
    }
    return refs;
  });
}

function describe(value: unknown): string {
  return Array.isArray(value) ? `an array of length ${value.length}` : value === null ? 'null' : typeof value;
}
