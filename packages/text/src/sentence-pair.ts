/** One aligned source/target sentence of a parallel corpus. */
export interface SentencePair {
  /** Source-language text (English for gettext catalogs). */
  source: string;
  /** Target-language text. */
  target: string;
}
