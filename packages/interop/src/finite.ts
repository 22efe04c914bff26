import { NonFiniteError } from '@seqgen/core';

/** Options shared by the weight importers of this package. */
export interface ImportWeightsOptions {
  /** Import NaN/Inf weights instead of refusing them (default false), as `loadCheckpoint`'s option of the same name. */
  allowNonFinite?: boolean;
}

/** Throws a NonFiniteError naming `name` and the index of its first NaN or infinite value. */
export function assertFinite(name: string, data: ArrayLike<number>, context: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v)) {
      throw new NonFiniteError(
        name,
        `${context}: holds ${v} at index ${i}; refusing non-finite weights (pass { allowNonFinite: true } to import them anyway)`,
      );
    }
  }
}
