import { ConfigError } from '@seqgen/core';
import type { LogitsProcessor } from './logits-processor.js';

/** Divides logits by `temperature` (> 0): below 1 sharpens the distribution, above 1 flattens it. */
export function temperatureProcessor(temperature: number): LogitsProcessor {
  // 0 is greedy, which is argmax rather than a division by zero: the strategy handles it.
  if (!(Number.isFinite(temperature) && temperature > 0)) {
    throw new ConfigError('temperature', `must be a finite number > 0 for the processor, got ${temperature}`);
  }
  return {
    name: 'temperature',
    process(logits) {
      for (let i = 0; i < logits.length; i++) logits[i] = (logits[i] as number) / temperature;
    },
  };
}
