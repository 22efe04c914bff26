/**
 * The format placeholders a translation must carry over unchanged:
 * C printf (`%s`, `%d`, `%5.2f`, `%ld`, `%1$s`, `%%`), Python named
 * (`%(name)s`) and brace (`{0}`, `{name}`, `{0:d}`). The space flag of
 * printf is left out on purpose: it would read "50% done" as `% d`.
 */
export const PLACEHOLDER_PATTERN =
  /%\([A-Za-z_][A-Za-z0-9_]*\)[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%(?:\d+\$)?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn]|%%|\{(?:\d+|[A-Za-z_][A-Za-z0-9_]*)(?:[:!][^{}]*)?\}/g;

/** The placeholders of `text`, in order of appearance. */
export function findPlaceholders(text: string): string[] {
  // match() with a global pattern starts from 0 and leaves lastIndex alone.
  return text.match(PLACEHOLDER_PATTERN) ?? [];
}

/** Options of {@link protectPlaceholders} and {@link restorePlaceholders}. */
export interface PlaceholderMarkers {
  /** Opening marker of a protected slot. Default `'⟦'`. */
  open?: string;
  /** Closing marker of a protected slot. Default `'⟧'`. */
  close?: string;
}

/** {@link protectPlaceholders}' result: the masked text and what each slot held. */
export interface ProtectedText {
  /** `text` with the i-th placeholder replaced by `⟦i⟧`. */
  text: string;
  /** The original placeholders; slot i restores `placeholders[i]`. */
  placeholders: string[];
}

/**
 * Replaces each placeholder with a numbered slot (`Copy %s to %s` →
 * `Copy ⟦0⟧ to ⟦1⟧`) so that a translation model can carry slots it has seen
 * in training rather than guessing at `%s` spellings; undo with
 * {@link restorePlaceholders}.
 */
export function protectPlaceholders(text: string, markers: PlaceholderMarkers = {}): ProtectedText {
  const open = markers.open ?? '⟦';
  const close = markers.close ?? '⟧';
  const placeholders: string[] = [];
  const masked = text.replace(PLACEHOLDER_PATTERN, (placeholder) => {
    placeholders.push(placeholder);
    return `${open}${placeholders.length - 1}${close}`;
  });
  return { text: masked, placeholders };
}

/**
 * Puts the placeholders back into translated text: every `⟦i⟧` with
 * `i < placeholders.length` becomes `placeholders[i]`, wherever the model moved
 * it. Slots the text lacks stay lost, and out-of-range slots are left as they are.
 */
export function restorePlaceholders(
  text: string,
  placeholders: readonly string[],
  markers: PlaceholderMarkers = {},
): string {
  const open = escapeRegExp(markers.open ?? '⟦');
  const close = escapeRegExp(markers.close ?? '⟧');
  return text.replace(new RegExp(`${open}\\s*(\\d+)\\s*${close}`, 'g'), (slot, index: string) => {
    const i = Number(index);
    return placeholders[i] ?? slot;
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
