/** What fixes the shapes of a PyTorch `nn.LSTM` / `nn.GRU` / `nn.RNN` state dict. */
export type TorchRnnShape = {
  /** Cell of every layer. */
  cell: 'lstm' | 'gru' | 'rnn';
  /** Width of the first layer's input. */
  inputSize: number;
  /** Units per layer. */
  hiddenSize: number;
  /** Stacked layers. */
  numLayers: number;
  /** LSTM `proj_size`, or null for none. */
  projSize: number | null;
  /** Both directions per layer (`_reverse` names; later layers read both directions' outputs, concatenated). */
  bidirectional?: boolean;
};

/**
 * The names (after `prefix`) and shapes of a PyTorch recurrent
 * module's state dict, computed from its sizes: what an import of a whole
 * model checks before it assigns anything.
 */
export function torchRnnShapes(s: TorchRnnShape, prefix: string): Record<string, number[]> {
  const G = s.cell === 'lstm' ? 4 : s.cell === 'gru' ? 3 : 1;
  const H = s.hiddenSize;
  const P = s.projSize ?? H;
  const out: Record<string, number[]> = {};
  let input = s.inputSize;
  const directions = s.bidirectional ? ['', '_reverse'] : [''];
  for (let l = 0; l < s.numLayers; l++) {
    for (const d of directions) {
      out[`${prefix}weight_ih_l${l}${d}`] = [G * H, input];
      out[`${prefix}weight_hh_l${l}${d}`] = [G * H, P];
      out[`${prefix}bias_ih_l${l}${d}`] = [G * H];
      out[`${prefix}bias_hh_l${l}${d}`] = [G * H];
      if (s.projSize !== null) out[`${prefix}weight_hr_l${l}${d}`] = [P, H];
    }
    input = P * directions.length;
  }
  return out;
}
