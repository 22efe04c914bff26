import { describe, expect, it } from 'vitest';
import { StopText } from './stop-text.js';

describe('StopText', () => {
  it('holds back a possible stop-string start and cuts the stop string out', () => {
    const text = new StopText(['\nUser:', 'END']);
    expect(text.push('Hello')).toBe('Hello');
    expect(text.push(' world\n')).toBe(' world'); // '\n' might begin '\nUser:'
    expect(text.push('Us')).toBe('');
    expect(text.push('e')).toBe('');
    expect(text.push('r: more')).toBe('');
    expect(text.stopped).toBe(true);
    expect(text.flush()).toBe('');
  });

  it('releases held-back text when it turns out not to be a stop string, and at the end', () => {
    const text = new StopText(['END']);
    expect(text.push('THE E')).toBe('THE ');
    expect(text.push('N')).toBe('');
    expect(text.push('D')).toBe('');
    expect(text.stopped).toBe(true);
    const other = new StopText(['END']);
    expect(other.push('SEN')).toBe('S');
    expect(other.push('T')).toBe('ENT');
    expect(other.push(' E')).toBe(' ');
    expect(other.flush()).toBe('E');
  });

  it('cuts at the earliest of several stop strings, found inside one delta', () => {
    const text = new StopText(['b', 'cd']);
    expect(text.push('acdxb')).toBe('a');
    expect(new StopText([]).push('anything')).toBe('anything');
  });
});
