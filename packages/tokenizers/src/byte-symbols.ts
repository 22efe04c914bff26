/**
 * Printable names for the 256 byte symbols, as GPT-2 writes them in its
 * vocabulary files: bytes that are visible Latin-1 characters keep that
 * character, the others (controls, space, ...) are shifted to U+0100 and up,
 * so that every token can be shown and saved as a readable string ("Ġthe" is
 * " the").
 */
function buildByteNames(): string[] {
  const names = new Array<string>(256);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    const visible = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    names[b] = String.fromCharCode(visible ? b : 0x100 + shifted++);
  }
  return names;
}

export const BYTE_NAMES: readonly string[] = buildByteNames();

export function nameOfBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += BYTE_NAMES[b];
  return out;
}
