// The package's Node-only parts (files and the FluidSynth process). The browser build swaps this
// module for ./browser.ts (tsup.config.ts), so no Node built-in is bundled for a page.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MidiError } from '../midi-error.js';
import type { FluidsynthSettings } from './fluidsynth-settings.js';

/**
 * The bytes of the file at `path`: missing is `not-found`; not a regular file or unreadable is
 * `io`; over `maxBytes` is `too-large`, refused before it is read. `name` is what errors call it.
 */
export function readFileBytes(path: string, name: string, maxBytes: number): Uint8Array {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new MidiError('io', name, 'is not a regular file');
    size = stat.size;
  } catch (error) {
    if (error instanceof MidiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : 'io';
    throw new MidiError(reason, name, `cannot be opened (${code ?? String(error)})`, { cause: error });
  }
  if (size > maxBytes) {
    throw new MidiError('too-large', name, `is ${size} bytes, over the limit of ${maxBytes} (option maxBytes)`);
  }
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MidiError('io', name, `cannot be read (${code ?? String(error)})`, { cause: error });
  }
}

/** Renders MIDI bytes to a WAV at `out` with the `fluidsynth` executable, staged beside `out` and renamed into place. */
export function runFluidsynth(midi: Uint8Array, out: string, settings: FluidsynthSettings): void {
  const { soundFont, executable, sampleRate, gain, timeoutMs } = settings;
  if (!existsSync(soundFont)) {
    throw new MidiError(
      'synthesizer',
      soundFont,
      'sound font not found (install Debian fluid-soundfont-gm, or pass another .sf2)',
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'seqgen-midi-render-'));
  try {
    const input = join(work, 'in.mid');
    writeFileSync(input, midi);
    const staged = join(dirname(out), `.${Date.now()}-${process.pid}.wav.partial`);
    const result = spawnSync(
      executable,
      [
        '-ni',
        '-q',
        '-g',
        String(gain),
        '-r',
        String(sampleRate),
        '-O',
        's16',
        '-T',
        'wav',
        '-F',
        staged,
        soundFont,
        input,
      ],
      { encoding: 'utf8', timeout: timeoutMs },
    );
    if (result.error || result.status !== 0 || !existsSync(staged) || statSync(staged).size <= 44) {
      rmSync(staged, { force: true });
      const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
      const why = missing
        ? `${executable} not found (install Debian fluidsynth and fluid-soundfont-gm)`
        : `${executable} failed${result.status !== null ? ` with exit code ${result.status}` : ''}: ${(result.stderr || result.error?.message || 'no output').trim().split('\n')[0]}`;
      throw new MidiError('synthesizer', out, why, result.error ? { cause: result.error } : {});
    }
    renameSync(staged, out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
