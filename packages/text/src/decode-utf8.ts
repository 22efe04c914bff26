import { ConfigError } from '@seqgen/base';
import { DataError } from './data-error.js';

const BOM = '\uFEFF';

/** Text as given, or UTF-8 bytes decoded strictly (`DataError` `'bad-encoding'`), without a leading BOM or CRs. */
export function decodeUtf8(input: string | Uint8Array, name: string): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (cause) {
      throw new DataError('bad-encoding', name, 'is not valid UTF-8', { cause });
    }
  } else throw new ConfigError('input', `must be a string or a Uint8Array, got ${typeof input}`);
  if (text.startsWith(BOM)) text = text.slice(1);
  return text.replace(/\r\n/g, '\n');
}
