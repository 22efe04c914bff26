/** One traced quantity of one layer over a sequence: `steps × size` values, row-major (row t = step t). */
export type TracedQuantity = {
  /** Units (the width of a row). */
  size: number;
  /** `steps × size` values. */
  values: Float32Array;
};

/** The option every traced model's `forward` takes. */
export type TraceOption = {
  /** Return every layer's per-step gates and states (off or absent: the untraced pass). */
  trace?: boolean;
};

/** One recurrent layer's traced quantities by name (LSTM and ConvLSTM `i f g o c h`, GRU `r z n h`, RNN `h`). */
export type LayerTrace = {
  /** The layer's cell type (`lstm`, `gru`, `rnn`). */
  cell: string;
  /** Each traced quantity by name. */
  quantities: Record<string, TracedQuantity>;
};

/**
 * Any model's per-step internals, in host memory: what neuron search, gate
 * saturation, ablation features and the explorer read. Every trace of this
 * package (text, music, speech decoder, video) is one.
 */
export type StepTrace = {
  /** Steps traced (tokens read, decoder steps, frames read). */
  steps: number;
  /** One entry per recurrent layer, bottom first. */
  layers: LayerTrace[];
};

/** A language model's per-step internals over one input sequence, in host memory. */
export type SequenceTrace = StepTrace & {
  /** The input token ids, one per step. */
  tokens: number[];
  /**
   * Natural-log probability the model gave each next input token: entry t is
   * log p(tokens[t + 1] | tokens[0..t]); `steps − 1` entries.
   */
  nextTokenLogProbs: Float32Array;
};

/** One unit of a trace: layer index, quantity name and unit index. */
export type UnitRef = {
  /** Layer index, 0 = bottom. */
  layer: number;
  /** Quantity name (`c`, `h`, a gate). */
  quantity: string;
  /** Unit index within the quantity. */
  unit: number;
};

/** A readable name for a unit, as the explorer and the CLI print it: `L0 c 17`. */
export function unitName(ref: UnitRef): string {
  return `L${ref.layer} ${ref.quantity} ${ref.unit}`;
}

/** One unit's activation at every step of a trace (a copy). */
export function unitActivations(trace: StepTrace, ref: UnitRef): Float32Array {
  const q = quantityOf(trace, ref.layer, ref.quantity);
  const out = new Float32Array(trace.steps);
  for (let t = 0; t < trace.steps; t++) out[t] = q.values[t * q.size + ref.unit] as number;
  return out;
}

/** The traced quantity `quantity` of layer `layer`, or undefined when the trace lacks it. */
export function findQuantity(trace: StepTrace, layer: number, quantity: string): TracedQuantity | undefined {
  return trace.layers[layer]?.quantities[quantity];
}

function quantityOf(trace: StepTrace, layer: number, quantity: string): TracedQuantity {
  const q = findQuantity(trace, layer, quantity);
  if (!q) throw new RangeError(`the trace has no quantity "${quantity}" in layer ${layer}`);
  return q;
}
