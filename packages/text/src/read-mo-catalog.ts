import { DataError } from './data-error.js';

/** One translated message of a gettext catalog. */
export interface MoEntry {
  /** The original (English) message; for plural messages its singular form. */
  msgid: string;
  /** The translation; for plural messages the first (singular) form. */
  msgstr: string;
  /** The `msgctxt` disambiguating identical msgids, when the message has one. */
  context?: string;
  /** For plural messages: the `msgid_plural` and every translated form, in order. */
  plural?: MoPlural;
}

/** The plural forms of a {@link MoEntry}. */
export type MoPlural = {
  /** The original plural message (`msgid_plural`). */
  msgid: string;
  /** Every translated form, in the catalog's order (index n for the n-th form of the language's `Plural-Forms` rule). */
  msgstr: string[];
};

/** Options of {@link readMoCatalog}. */
export interface MoReadOptions {
  /** Name of the catalog (its path) used in error messages. */
  name: string;
}

const MAGIC = 0x950412de;
const HEADER_BYTES = 28;
const CONTEXT_SEPARATOR = '\u0004';

/**
 * Parses a compiled gettext catalog (`.mo`, as written by `msgfmt`) into its
 * translated messages, header excluded. Either byte order is accepted; major
 * revisions other than 0 and 1 are refused. Every count, offset and length
 * is checked against the buffer before use, so a truncated or hostile file
 * raises `DataError` (naming `options.name` and what was wrong) without
 * allocating more than the file's own size. Strings are decoded with the
 * header's `Content-Type` charset (UTF-8 when absent) through `TextDecoder`;
 * an unsupported charset is `DataError` `'unsupported-charset'`, invalid
 * bytes `'bad-encoding'`.
 */
export function readMoCatalog(bytes: Uint8Array, options: MoReadOptions): MoEntry[] {
  const name = options.name;
  if (!(bytes instanceof Uint8Array)) {
    throw new DataError('bad-magic', name, `expected the file's bytes as a Uint8Array, got ${typeof bytes}`);
  }
  if (bytes.byteLength < HEADER_BYTES) {
    throw new DataError('truncated', name, `${bytes.byteLength} bytes is shorter than the 28-byte .mo header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const littleEndian = view.getUint32(0, true) === MAGIC;
  if (!littleEndian && view.getUint32(0, false) !== MAGIC) {
    const found = view.getUint32(0, false).toString(16).padStart(8, '0');
    throw new DataError('bad-magic', name, `not a gettext .mo file (magic 0x${found}, expected 0x950412de)`);
  }
  const u32 = (offset: number) => view.getUint32(offset, littleEndian);
  const revision = u32(4);
  if (revision >>> 16 > 1) {
    throw new DataError('unsupported-revision', name, `major revision ${revision >>> 16} (only 0 and 1 are defined)`);
  }
  const count = u32(8);
  const originalsAt = u32(12);
  const translationsAt = u32(16);
  // Each table holds `count` (length, offset) pairs; a count the file cannot hold is refused before any allocation.
  for (const [table, at] of [
    ['original strings', originalsAt],
    ['translated strings', translationsAt],
  ] as const) {
    if (at + count * 8 > bytes.byteLength) {
      throw new DataError(
        'out-of-bounds',
        name,
        `the ${table} table (${count} entries at offset ${at}) ends at byte ${at + count * 8}, past the end of the ${bytes.byteLength}-byte file`,
      );
    }
  }
  const rawString = (table: string, at: number, index: number): Uint8Array => {
    const length = u32(at + index * 8);
    const offset = u32(at + index * 8 + 4);
    if (offset + length > bytes.byteLength) {
      throw new DataError(
        'out-of-bounds',
        name,
        `${table} string ${index} (${length} bytes at offset ${offset}) runs past the end of the ${bytes.byteLength}-byte file`,
      );
    }
    return bytes.subarray(offset, offset + length);
  };

  const raw: { id: Uint8Array; str: Uint8Array }[] = [];
  let header: Uint8Array | undefined;
  for (let index = 0; index < count; index++) {
    const id = rawString('original', originalsAt, index);
    const str = rawString('translated', translationsAt, index);
    if (id.byteLength === 0) header = str;
    else raw.push({ id, str });
  }

  const charset = header === undefined ? 'utf-8' : charsetOf(latin1(header));
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch (cause) {
    throw new DataError('unsupported-charset', name, `charset "${charset}" is not supported by TextDecoder`, { cause });
  }
  const decode = (part: Uint8Array, what: string): string => {
    try {
      return decoder.decode(part);
    } catch (cause) {
      throw new DataError('bad-encoding', name, `${what} is not valid ${charset}`, { cause });
    }
  };

  return raw.map(({ id, str }, index) => {
    const fullId = decode(id, `original string ${index + 1}`);
    const forms = decode(str, `translated string ${index + 1}`).split('\0');
    const separator = fullId.indexOf(CONTEXT_SEPARATOR);
    const context = separator >= 0 ? fullId.slice(0, separator) : undefined;
    const [msgid = '', msgidPlural] = (separator >= 0 ? fullId.slice(separator + 1) : fullId).split('\0');
    const entry: MoEntry = { msgid, msgstr: forms[0] ?? '' };
    if (context !== undefined) entry.context = context;
    if (msgidPlural !== undefined) entry.plural = { msgid: msgidPlural, msgstr: forms };
    return entry;
  });
}

/** The header is ASCII by convention; decoding it as Latin-1 cannot fail. */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** The `charset=` of the header's `Content-Type` line, UTF-8 when absent (as gettext assumes for .mo files today). */
function charsetOf(header: string): string {
  const match = /^content-type:[^\n]*charset=\s*([^\s;]+)/im.exec(header);
  const charset = match?.[1]?.trim().toLowerCase();
  // msgfmt writes the placeholder CHARSET for untouched templates.
  return charset === undefined || charset === '' || charset === 'charset' ? 'utf-8' : charset;
}
