import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/text public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'Bm25Retriever',
      'DataError',
      'MAX_SPELLED_NUMBER',
      'NON_FINAL_ABBREVIATIONS',
      'OTHER_SPEAKER_MARKER',
      'PLACEHOLDER_PATTERN',
      'SELF_SPEAKER_MARKER',
      'cleanPairs',
      'contextReplyPairs',
      'corpusBleu',
      'corpusChrF',
      'dedupePairs',
      'distinctN',
      'findPlaceholders',
      'formatContext',
      'moPairsFromLocale',
      'normalizeForSpeech',
      'normalizeSentence',
      'numberWords',
      'ordinalWords',
      'protectPlaceholders',
      'readChatJsonl',
      'readEndlessSkyConversations',
      'readFortuneDialogues',
      'readMoCatalog',
      'readSentencePairsTsv',
      'readSentencePairsTsvFile',
      'readWesnothScenario',
      'restorePlaceholders',
      'splitConversations',
      'splitPairs',
      'splitSentences',
      'stripAccelerators',
      'tokenize13a',
    ]);
  });
});
