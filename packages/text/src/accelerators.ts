// A mnemonic marker: `_` or `&` before a letter or digit, at the start of a word
// (`_File`, `(&Open)`, `rechts-_Einbettung`) or inside one (`C_onnect`), never
// after symbols that mark code (`pam_*_item`, `._tcp`) and never the `&` of an
// HTML entity such as `&amp;`.
const MARKER = /(?<=^|[\s\p{L}\p{N}(["'„“«‘-])[_&](?=[\p{L}\p{N}])(?![\p{L}\p{N}]+;)/gu;
// CJK translations append the key instead: `ファイル(_F)`.
const APPENDED = /\s*\((?:_|&)[\p{L}\p{N}]\)/gu;
// snake_case and SCREAMING_CASE identifiers (`file_name`, `LC_ALL`, `PAGE_WIDTH`) are not mnemonics.
const IDENTIFIER =
  /(?<![\p{L}\p{N}])(?:[\p{Ll}\p{N}]+(?:_[\p{Ll}\p{N}]+)+|[\p{Lu}\p{N}]+(?:_[\p{Lu}\p{N}]+)+)(?![\p{L}\p{N}])/gu;
const SHIELDED = /\u{F0000}(\d+)\u{F0001}/gu;

/** Replaces identifiers by private-use stand-ins so that markers inside them are not seen. */
function shield(text: string): { text: string; restore: (masked: string) => string } {
  const identifiers: string[] = [];
  const masked = text.replace(IDENTIFIER, (word) => `\u{F0000}${identifiers.push(word) - 1}\u{F0001}`);
  return { text: masked, restore: (m) => m.replace(SHIELDED, (_, i: string) => identifiers[Number(i)] ?? '') };
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

/** What {@link stripAccelerators} returns: both sides of the pair, each unchanged or without its marker. */
export type AcceleratorFreePair = {
  /** The source label, without its accelerator marker when the pair was changed. */
  source: string;
  /** The target label, without its accelerator marker (or appended `(_F)`) when the pair was changed. */
  target: string;
};

/**
 * Removes the keyboard-accelerator marker of a menu label on both sides
 * (`_File`/`_Datei`, `&Open`/`Ö&ffnen`, `C_onnect`/`_Verbinden`,
 * `Open _File`/`ファイルを開く(_F)` → without markers), so that the model never
 * learns where mnemonics go. A pair is only changed when the source carries
 * exactly one marker and no other underscore (identifiers such as `file_name`
 * or `LC_ALL` aside) and the target at most one, which keeps the underscores
 * and ampersands of ordinary text (`_http._tcp`, `A & B`) intact.
 */
export function stripAccelerators(source: string, target: string): AcceleratorFreePair {
  // Most messages have no marker at all: skip the regular expressions for them.
  if (!source.includes('_') && !source.includes('&')) return { source, target };
  const src = shield(source);
  const underscoresAndMarkers = count(src.text, /_/g) + count(src.text, /&(?=[\p{L}\p{N}])(?![\p{L}\p{N}]+;)/gu);
  if (count(src.text, MARKER) !== 1 || underscoresAndMarkers !== 1) {
    return { source, target };
  }
  const strippedSource = src.restore(src.text.replace(MARKER, ''));
  const withoutAppended = target.replace(APPENDED, '');
  const appended = count(target, APPENDED);
  const tgt = shield(withoutAppended);
  const shieldedMarkers = count(tgt.text, MARKER);
  if (appended + shieldedMarkers > 1) return { source, target };
  if (appended + shieldedMarkers === 1) {
    return { source: strippedSource, target: tgt.restore(tgt.text.replace(MARKER, '')) };
  }
  // No marker outside identifiers: a lone lower-case `anle_gen` is the mnemonic after all.
  const rawMarkers = count(withoutAppended, MARKER);
  return { source: strippedSource, target: rawMarkers === 1 ? withoutAppended.replace(MARKER, '') : withoutAppended };
}
