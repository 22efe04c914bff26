/** One utterance of a dialogue: who spoke and what they said. */
export interface DialogueTurn {
  /** The speaker as the source names it (`Konrad`, `netgod`, `user`, `assistant`…). */
  speaker: string;
  /** What was said, whitespace-collapsed, never empty. */
  text: string;
}

/** One conversation: turns in order, from one source. */
export interface Conversation {
  /** Unique within a corpus: the file (and line or block) it came from. */
  id: string;
  /**
   * Conversations that must stay in the same split (branches of one Endless
   * Sky conversation, scenes of one scenario); defaults to `id`.
   */
  group?: string;
  /** The turns, at least one. */
  turns: DialogueTurn[];
}

/** Collapses runs of whitespace (line breaks of wrapped records included) to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
