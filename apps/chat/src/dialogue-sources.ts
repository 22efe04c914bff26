import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, UsageError } from '@seqgen/app-kit';
import {
  type Conversation,
  DataError,
  readChatJsonl,
  readEndlessSkyConversations,
  readFortuneDialogues,
  readWesnothScenario,
} from '@seqgen/text';

/** The offline dialogue sources `prepare` knows (see ../shared/DATA.md). */
export const DIALOGUE_SOURCES = ['wesnoth', 'fortunes', 'endless-sky'] as const;
export type DialogueSource = (typeof DIALOGUE_SOURCES)[number];

/** Where the Debian packages put the data (`--games-root`). */
export const DEFAULT_GAMES_ROOT = '/usr/share/games';

/** Fortune files that hold IRC logs and `Speaker:` exchanges (the others are jokes and quotes). */
const FORTUNE_FILES = [
  'knghtbrd',
  'linux',
  'debian',
  'computers',
  'humorists',
  'people',
  'work',
  'politics',
  'science',
  'wisdom',
];

const PACKAGES: Record<DialogueSource, string> = {
  wesnoth: 'wesnoth-1.16-httt (and any other wesnoth-1.16-* campaign)',
  fortunes: 'fortunes',
  'endless-sky': 'endless-sky-data',
};

/** Where conversations come from: the offline sources, or a chat JSONL file. */
export interface DialogueOrigin {
  /** Offline sources to read (ignored with `jsonl`). */
  sources?: readonly DialogueSource[];
  /** Root of the Debian game data. */
  gamesRoot?: string;
  /** A `{"messages":[{"role","content"}]}` JSONL file instead of the sources. */
  jsonl?: string;
}

/** Conversations read, with a line that says from where. */
export interface LoadedDialogues {
  conversations: Conversation[];
  description: string;
  /** Conversations per source, for the record. */
  counts: Record<string, number>;
}

function filesUnder(dir: string, suffix: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(dir, f));
}

function read(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`${path}: cannot be read (${(error as Error).message})`, path, { cause: error });
  }
}

/** Turns a loader's `DataError` into the app's one-line input error naming the file. */
function parse<T>(path: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof DataError) throw new InputError(error.message, path, { cause: error });
    throw error;
  }
}

function readSource(source: DialogueSource, root: string): Conversation[] {
  if (source === 'wesnoth') {
    const campaigns = join(root, 'wesnoth', '1.16', 'data', 'campaigns');
    if (!existsSync(campaigns)) throw missing(source, campaigns);
    const files = readdirSync(campaigns)
      .sort()
      .map((c) => join(campaigns, c, 'scenarios'))
      .filter((d) => existsSync(d) && statSync(d).isDirectory())
      .flatMap((d) => filesUnder(d, '.cfg'));
    return files.flatMap((f) => parse(f, () => readWesnothScenario(read(f), { name: f.slice(campaigns.length + 1) })));
  }
  if (source === 'fortunes') {
    const dir = join(root, 'fortunes');
    if (!existsSync(dir)) throw missing(source, dir);
    return FORTUNE_FILES.filter((f) => existsSync(join(dir, f))).flatMap((f) =>
      readFortuneDialogues(read(join(dir, f)), { name: `fortunes/${f}` }),
    );
  }
  const dir = join(root, 'endless-sky', 'data');
  if (!existsSync(dir)) throw missing(source, dir);
  return filesUnder(dir, '.txt').flatMap((f) =>
    readEndlessSkyConversations(read(f), { name: `endless-sky/${f.slice(dir.length + 1)}` }),
  );
}

function missing(source: DialogueSource, dir: string): InputError {
  return new InputError(
    `${dir}: not found — install the ${source} data (apt-get install ${PACKAGES[source]}) or pass --games-root / --jsonl`,
    dir,
  );
}

/** Reads the conversations of the chosen origin; an empty result is an input error. */
export function loadDialogues(origin: DialogueOrigin): LoadedDialogues {
  if (origin.jsonl) {
    if (!existsSync(origin.jsonl)) throw new InputError(`--jsonl ${origin.jsonl}: no such file`, origin.jsonl);
    const conversations = parse(origin.jsonl, () =>
      readChatJsonl(read(origin.jsonl as string), { name: origin.jsonl }),
    );
    if (conversations.length === 0) throw new InputError(`--jsonl ${origin.jsonl}: no conversations`, origin.jsonl);
    return { conversations, description: origin.jsonl, counts: { jsonl: conversations.length } };
  }
  const sources = origin.sources ?? DIALOGUE_SOURCES;
  if (sources.length === 0) throw new UsageError('--sources needs at least one of wesnoth, fortunes, endless-sky');
  const root = origin.gamesRoot ?? DEFAULT_GAMES_ROOT;
  const counts: Record<string, number> = {};
  const conversations: Conversation[] = [];
  for (const source of sources) {
    const found = readSource(source, root).filter((c) => c.turns.length >= 2);
    counts[source] = found.length;
    conversations.push(...found);
  }
  if (conversations.length === 0) throw new InputError(`${root}: no conversations in ${sources.join(', ')}`, root);
  return { conversations, description: `${sources.join(' + ')} under ${root}`, counts };
}

/** Parses `--sources wesnoth,fortunes`. */
export function parseSources(value: string): DialogueSource[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of names) {
    if (!(DIALOGUE_SOURCES as readonly string[]).includes(name)) {
      throw new UsageError(`--sources: unknown source "${name}" (choose from ${DIALOGUE_SOURCES.join(', ')})`);
    }
  }
  return names as DialogueSource[];
}
