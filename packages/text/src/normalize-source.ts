/**
 * The key two sentences share when they are "the same sentence" for
 * deduplication and split grouping: Unicode NFC, case-folded, whitespace
 * collapsed and trimmed.
 */
export function normalizeSentence(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}
