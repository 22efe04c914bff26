import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The 31 pieces of Debian's `openttd-openmsx` (GPL-2, never committed): the
 * real MIDI files the tests read. Missing data skips those tests, unless
 * SEQGEN_DATA_REQUIRED=1 (CI), where it fails them.
 */
export const OPENMSX_DIR = process.env.SEQGEN_OPENMSX_DIR ?? '/usr/share/games/openttd/baseset/openmsx';

/** The pieces' file names, sorted (empty when the package is not installed and data is not required). */
export function openmsxPieces(): string[] {
  const files = existsSync(OPENMSX_DIR)
    ? readdirSync(OPENMSX_DIR)
        .filter((f) => f.endsWith('.mid'))
        .sort()
    : [];
  if (files.length === 0 && process.env.SEQGEN_DATA_REQUIRED === '1') {
    throw new Error(`no MIDI files in ${OPENMSX_DIR}: apt-get install openttd-openmsx (SEQGEN_DATA_REQUIRED=1)`);
  }
  return files;
}

/** The bytes of one piece. */
export function openmsxBytes(file: string): Uint8Array {
  return readFileSync(join(OPENMSX_DIR, file));
}
