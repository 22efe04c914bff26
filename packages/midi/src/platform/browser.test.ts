import { describe, expect, it } from 'vitest';
import { MidiError } from '../midi-error.js';
import { readFileBytes, runFluidsynth } from './browser.js';

// The module the browser build swaps in for ./node.ts, run here directly.
describe('midi browser platform', () => {
  it('refuses paths and FluidSynth with MidiErrors that say what works in a browser', () => {
    const thrown = (work: () => unknown) => {
      try {
        work();
      } catch (error) {
        return error as MidiError;
      }
      throw new Error('did not throw');
    };
    const read = thrown(() => readFileBytes('songs/a.mid', 'a.mid', 1000));
    expect(read).toBeInstanceOf(MidiError);
    expect(read.reason).toBe('io');
    expect(read.message).toMatch(
      /a\.mid.*cannot be read from a path in a browser: fetch it and pass the bytes to readMidi/,
    );
    const settings = { soundFont: 'x.sf2', executable: 'fluidsynth', sampleRate: 44_100, gain: 0.6, timeoutMs: 1000 };
    const render = thrown(() => runFluidsynth(new Uint8Array(14), 'out.wav', settings));
    expect(render).toBeInstanceOf(MidiError);
    expect(render.reason).toBe('synthesizer');
    expect(render.message).toMatch(/out\.wav.*FluidSynth runs only under Node/);
  });
});
