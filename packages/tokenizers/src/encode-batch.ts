import { ConfigError, TokenizerError } from '@seqgen/base';
import type { EncodeBatchOptions, EncodedBatch } from './types.js';

function checkLength(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(field, `expected a non-negative integer, got ${value}`);
  }
}

/** Truncates and right-pads already-encoded rows into a rectangle with its attention mask. */
export function padBatch(
  rows: number[][],
  options: EncodeBatchOptions,
  defaultPadId: number | undefined,
): EncodedBatch {
  const { padding, truncation } = options;
  if (truncation !== undefined) checkLength(truncation, 'truncation');
  const ids = truncation === undefined ? rows : rows.map((row) => row.slice(0, truncation));
  if (padding === undefined) return { ids, attentionMask: ids.map((row) => row.map(() => 1)) };

  let target: number;
  if (padding === 'longest') {
    target = ids.reduce((longest, row) => Math.max(longest, row.length), 0);
  } else {
    checkLength(padding, 'padding');
    target = padding;
  }
  const padId = options.padId ?? defaultPadId;
  if (padId === undefined) throw new ConfigError('padId', 'padding needs a padId: this tokenizer has no <pad> token');
  checkLength(padId, 'padId');

  const attentionMask: number[][] = [];
  ids.forEach((row, i) => {
    if (row.length > target) {
      throw new TokenizerError(
        'invalid-input',
        `texts[${i}] encodes to ${row.length} tokens, more than padding ${target}; set truncation to cut it`,
      );
    }
    const mask = new Array<number>(target).fill(0, row.length).fill(1, 0, row.length);
    for (let j = row.length; j < target; j++) row.push(padId);
    attentionMask.push(mask);
  });
  return { ids, attentionMask };
}
