export type { AcceleratorFreePair } from './accelerators.js';
export { stripAccelerators } from './accelerators.js';
export type { CleanOptions, CleanResult, DropReason } from './clean-pairs.js';
export { cleanPairs } from './clean-pairs.js';
export type { BleuScore } from './corpus-bleu.js';
export { corpusBleu } from './corpus-bleu.js';
export type { ChrFScore } from './corpus-chrf.js';
export { corpusChrF } from './corpus-chrf.js';
export type { DataFailure } from './data-error.js';
export { DataError } from './data-error.js';
export type { DedupeOptions } from './dedupe-pairs.js';
export { dedupePairs } from './dedupe-pairs.js';
export type {
  Bm25Options,
  ChatJsonlOptions,
  ContextFormat,
  ContextOptions,
  ContextReplyPair,
  Conversation,
  ConversationSplit,
  ConversationSplitOptions,
  DialogueTurn,
  DistinctScore,
  EndlessSkyReadOptions,
  FortuneReadOptions,
  RetrievalEntry,
  RetrievalMatch,
  WesnothReadOptions,
} from './dialogue/index.js';
export {
  Bm25Retriever,
  contextReplyPairs,
  distinctN,
  formatContext,
  OTHER_SPEAKER_MARKER,
  readChatJsonl,
  readEndlessSkyConversations,
  readFortuneDialogues,
  readWesnothScenario,
  SELF_SPEAKER_MARKER,
  splitConversations,
} from './dialogue/index.js';
export type { MoCatalogSummary, MoLocaleOptions, MoLocalePairs, MoSkippedCatalog } from './mo-pairs-from-locale.js';
export { moPairsFromLocale } from './mo-pairs-from-locale.js';
export { normalizeSentence } from './normalize-source.js';
export type { PlaceholderMarkers, ProtectedText } from './placeholders.js';
export { findPlaceholders, PLACEHOLDER_PATTERN, protectPlaceholders, restorePlaceholders } from './placeholders.js';
export type { MoEntry, MoPlural, MoReadOptions } from './read-mo-catalog.js';
export { readMoCatalog } from './read-mo-catalog.js';
export type { TsvReadOptions, TsvReadResult } from './read-sentence-pairs-tsv.js';
export { readSentencePairsTsv, readSentencePairsTsvFile } from './read-sentence-pairs-tsv.js';
export type { SentencePair } from './sentence-pair.js';
export { normalizeForSpeech } from './speech/normalize-for-speech.js';
export { MAX_SPELLED_NUMBER, numberWords, ordinalWords } from './speech/number-words.js';
export { NON_FINAL_ABBREVIATIONS, splitSentences } from './speech/split-sentences.js';
export type { SplitOptions, SplitResult } from './split-pairs.js';
export { splitPairs } from './split-pairs.js';
export { tokenize13a } from './tokenize-13a.js';
