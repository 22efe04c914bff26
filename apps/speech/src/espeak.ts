import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@seqgen/app-kit';
import { readWav } from '@seqgen/audio';

/** The voice every prepared corpus is spoken in (an `mb/*` voice needs mbrola; these are built in). */
export const ESPEAK_VOICE = 'en-us';

/** espeak-ng or pocketsphinx is missing or failed: the command names the Debian package to install (exit 3). */
export class ToolError extends AppError {
  override readonly name = 'ToolError';
  constructor(message: string) {
    super('input', message);
  }
}

function run(command: string, args: string[], packageName: string, input?: string) {
  const result = spawnSync(command, args, {
    maxBuffer: 256 * 1024 * 1024,
    ...(input !== undefined ? { input: Buffer.from(input, 'utf8') } : {}),
  });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ToolError(
      missing
        ? `${command} is not installed (Debian: apt-get install ${packageName})`
        : `${command} failed: ${result.error.message}`,
    );
  }
  if (result.status !== 0) {
    throw new ToolError(
      `${command} exited with ${result.status}: ${result.stderr.toString('utf8').trim().slice(0, 200)}`,
    );
  }
  return result.stdout;
}

/**
 * `text` spoken by espeak-ng (mono samples at its own rate, 22,050 Hz). The
 * text goes on stdin, never as an option; the WAV goes to a file (`--stdout`
 * streams a header with no length in it).
 */
export function espeakAudio(text: string, voice = ESPEAK_VOICE): { samples: Float32Array; sampleRate: number } {
  const dir = mkdtempSync(join(tmpdir(), 'seqgen-espeak-'));
  try {
    const file = join(dir, 'speech.wav');
    run('espeak-ng', ['-v', voice, '-w', file], 'espeak-ng', text);
    const decoded = readWav(readFileSync(file), { name: 'espeak-ng output' });
    return { samples: decoded.channels[0] as Float32Array, sampleRate: decoded.sampleRate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * espeak-ng's phoneme mnemonics (`-x`, ASCII: one symbol per character, `'`
 * and `,` for stress) for `text`, whitespace collapsed: the `--phonemes`
 * input of a model. (`--ipa` spells the same phonemes in IPA.)
 */
export function espeakPhonemes(text: string, voice = ESPEAK_VOICE): string {
  const out = run('espeak-ng', ['-v', voice, '-q', '-x'], 'espeak-ng', text);
  return out.toString('utf8').replace(/\s+/g, ' ').trim();
}
