import type { JsonObject } from '@seqgen/core';

/**
 * The plain-JSON config of a layer or attention mechanism: any JSON fields,
 * tagged with the registered `type` whose factory rebuilds the object from it
 * (`layerFromConfig`, `attentionFromConfig`; weights are drawn afresh).
 *
 * @typeParam T - The tag: a literal such as `'recurrent'` for one class, `string` for any.
 */
export type TaggedConfigJson<T extends string = string> = JsonObject & {
  /**
   * The registered type that rebuilds the object: `'recurrent'`, `'bidirectional'`,
   * `'conv-lstm-2d'`, `'bahdanau'`, `'luong'`, or a type registered by the user.
   */
  type: T;
};
