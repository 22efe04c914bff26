import { describe, expect, it } from 'vitest';
import { CheckpointError, ConfigError, SeqgenError, ShapeError, TokenizerError } from './errors.js';

describe('typed errors', () => {
  it('carry stable codes and name what was wrong', () => {
    const shape = new ShapeError('x', '[batch, 64]', '[32, 65]', 'LSTM.step');
    expect(shape).toBeInstanceOf(SeqgenError);
    expect(shape).toBeInstanceOf(Error);
    expect(shape.name).toBe('ShapeError');
    expect(shape.code).toBe('ERR_SHAPE_MISMATCH');
    expect(shape.message).toBe('LSTM.step: x must be [batch, 64], got [32, 65]');
    const config = new ConfigError('topP', 'must be in (0, 1], got 1.5');
    expect(config.field).toBe('topP');
    expect(config.message).toBe('topP: must be in (0, 1], got 1.5');
    expect(new CheckpointError('hash-mismatch', '/a', 'x').code).toBe('ERR_CHECKPOINT_HASH_MISMATCH');
    expect(new TokenizerError('unknown-token', 'x').code).toBe('ERR_TOKENIZER_UNKNOWN_TOKEN');
  });
});
