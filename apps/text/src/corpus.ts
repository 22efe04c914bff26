import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '@seqgen/app-kit';

/** The fraction of the corpus (its tail) that is held out for validation. */
export const HELD_OUT_FRACTION = 0.1;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Decodes one file as strict UTF-8 text; binary files (NUL bytes) and invalid UTF-8 are refused. */
export function readTextFile(path: string, shown = path): string {
  const bytes = readFileSync(path);
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new InputError(`corpus file ${shown} looks binary (NUL byte at offset ${nul}); expected UTF-8 text`, path);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(`corpus file ${shown} is not valid UTF-8 text`, path);
  }
}

/**
 * Reads a corpus: one text file, or every file under a folder (sorted by path,
 * hidden files skipped), joined by newlines. Line endings become `\n`.
 */
export function readCorpus(path: string): string {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    throw new InputError(`corpus not found: ${path}`, path);
  }
  const files = stat.isDirectory() ? listFiles(path) : [path];
  if (files.length === 0) throw new InputError(`corpus folder ${path} holds no files`, path);
  const text = files
    .map((f) => readTextFile(f, stat.isDirectory() ? join(path, relative(path, f)) : f))
    .join('\n')
    .replace(/\r\n?/g, '\n');
  if (text.trim().length === 0) throw new InputError(`corpus ${path} is empty`, path);
  return text;
}

/** Train text and held-out text: the held-out part is the last `fraction` of the characters, never trained on. */
export function splitHeldOut(text: string, fraction = HELD_OUT_FRACTION): { train: string; heldOut: string } {
  const chars = Array.from(text);
  const cut = Math.round(chars.length * (1 - fraction));
  if (cut < 2 || chars.length - cut < 2) {
    throw new InputError(
      `corpus is too small to hold out ${fraction * 100}% for validation (${chars.length} characters)`,
    );
  }
  return { train: chars.slice(0, cut).join(''), heldOut: chars.slice(cut).join('') };
}

/** Number of characters (code points) in a text: the unit of bits per character. */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
