import { AudioError } from './audio-error.js';

/** One line of an LJSpeech-format `metadata.csv`: the clip's id (its `wavs/<id>.wav`) and its transcripts. */
export type LjspeechEntry = {
  /** File name of the clip without `.wav`. */
  id: string;
  /** The transcript as spoken, numbers and abbreviations as written. */
  text: string;
  /** The normalized transcript (numbers and abbreviations spelled out); the raw one when the line has only two fields. */
  normalizedText: string;
};

/** Characters an id may not hold: it names a file inside `wavs/`. */
const UNSAFE_ID = /[/\\\0]|^\.\.?$/;

/** Strict UTF-8: a damaged transcript must not train as U+FFFD characters. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text: bytes decoded as strict UTF-8 (a leading byte-order mark dropped). */
function metadataText(input: string | Uint8Array, source: string): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  if (!(input instanceof Uint8Array)) {
    throw new AudioError('corrupt', source, `expected the file's bytes or text, got ${typeof input}`);
  }
  try {
    return UTF8.decode(input).replace(/^\uFEFF/, '');
  } catch {
    throw new AudioError('corrupt', source, 'is not valid UTF-8');
  }
}

/**
 * Parses an LJSpeech-format `metadata.csv` (Keith Ito's LJ Speech Dataset and
 * the many corpora that copy it): one clip per line, `id|transcript|normalized
 * transcript` (pipe-separated, no quoting, UTF-8), the third field optional.
 * Blank lines are skipped; a trailing `\r` and a leading byte-order mark are
 * dropped. Pass the file's bytes so that invalid UTF-8 is refused rather
 * than read as U+FFFD.
 *
 * @throws {@link AudioError} `empty` when no line names a clip, `corrupt`
 *   (naming `source` and the line) for bytes that are not UTF-8, a line
 *   without a transcript, with too many fields, an id that is not a plain
 *   file name, or an id seen twice.
 */
export function parseLjspeechMetadata(input: string | Uint8Array, source = 'metadata.csv'): LjspeechEntry[] {
  const text = metadataText(input, source);
  const entries: LjspeechEntry[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    const fields = line.split('|');
    if (fields.length < 2 || fields.length > 3) {
      throw new AudioError(
        'corrupt',
        source,
        `${where}: expected id|transcript|normalized transcript, got ${fields.length} field(s)`,
      );
    }
    const [id = '', spoken = '', normalized] = fields.map((f) => f.trim());
    if (id === '' || UNSAFE_ID.test(id)) {
      throw new AudioError('corrupt', source, `${where}: the id ${JSON.stringify(id)} is not a plain file name`);
    }
    if (seen.has(id)) throw new AudioError('corrupt', source, `${where}: the id ${JSON.stringify(id)} appears twice`);
    const normalizedText = normalized || spoken;
    if (normalizedText === '') throw new AudioError('corrupt', source, `${where}: clip ${id} has no transcript`);
    seen.add(id);
    entries.push({ id, text: spoken || normalizedText, normalizedText });
  });
  if (entries.length === 0) throw new AudioError('empty', source, 'no clip listed (expected id|transcript lines)');
  return entries;
}
