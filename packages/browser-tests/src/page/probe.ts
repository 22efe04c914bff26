/** The fixed input whose logits are compared across checkpoints (token ids of the smoke test's vocabulary). */
export const PROBE = [[1, 4, 2, 7, 3]];
