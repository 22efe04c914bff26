// Character n-gram baseline: interpolated Kneser-Ney (absolute discounting, continuation counts for
// lower orders), trained on the same training text and scored on the same held-out tail as
// `seqgen-text train`. Run: `pnpm --filter @seqgen/app-text bench [--orders 3,4,5] [--corpus FILE]`.
import { countChars, readCorpus, splitHeldOut } from '../src/corpus.js';
import { mobyDickPath } from '../src/moby-dick.js';

const UNK = '\u0000';

class KneserNey {
  /** counts[k]: (context of k chars + char) → count (raw at the top order, continuation counts below). */
  private readonly counts: Map<string, number>[] = [];
  /** totals[k]: context → [sum of counts, distinct followers]. */
  private readonly totals: Map<string, [number, number]>[] = [];
  private readonly discounts: number[] = [];
  readonly vocab: Set<string>;

  constructor(
    readonly order: number,
    chars: string[],
  ) {
    this.vocab = new Set([...chars, UNK]);
    const top = order - 1;
    for (let k = 0; k <= top; k++) {
      this.counts.push(new Map());
      this.totals.push(new Map());
    }
    // Top order: raw counts of every n-gram (the text's first characters have shorter contexts).
    for (let i = 0; i < chars.length; i++) {
      const start = Math.max(0, i - top);
      const map = this.counts[i - start] as Map<string, number>;
      const gram = chars.slice(start, i + 1).join('');
      map.set(gram, (map.get(gram) ?? 0) + 1);
    }
    // Lower orders: continuation counts N1+(• h w), the number of distinct left extensions.
    for (let k = top; k > 0; k--) {
      const lower = this.counts[k - 1] as Map<string, number>;
      for (const gram of (this.counts[k] as Map<string, number>).keys()) {
        const suffix = Array.from(gram).slice(1).join('');
        lower.set(suffix, (lower.get(suffix) ?? 0) + 1);
      }
    }
    for (let k = 0; k <= top; k++) {
      const totals = this.totals[k] as Map<string, [number, number]>;
      const countOfCounts = [0, 0, 0];
      for (const [gram, c] of this.counts[k] as Map<string, number>) {
        const ctx = Array.from(gram).slice(0, -1).join('');
        const t = totals.get(ctx) ?? [0, 0];
        t[0] += c;
        t[1] += 1;
        totals.set(ctx, t);
        if (c <= 2) (countOfCounts[c] as number)++;
      }
      const [n1, n2] = [countOfCounts[1] as number, countOfCounts[2] as number];
      this.discounts.push(n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.75);
    }
  }

  /** P(c | context), context being the previous ≤ order-1 characters. */
  prob(context: string[], c: string): number {
    let p = 1 / this.vocab.size;
    for (let k = 0; k <= Math.min(context.length, this.order - 1); k++) {
      const ctx = context.slice(context.length - k).join('');
      const t = (this.totals[k] as Map<string, [number, number]>).get(ctx);
      if (!t) break; // longer contexts were not seen either
      const d = this.discounts[k] as number;
      const count = (this.counts[k] as Map<string, number>).get(ctx + c) ?? 0;
      p = Math.max(count - d, 0) / t[0] + ((d * t[1]) / t[0]) * p;
    }
    return p;
  }
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const corpusPath = arg('--corpus', mobyDickPath());
const orders = arg('--orders', '3,4,5,6').split(',').map(Number);
const { train, heldOut } = splitHeldOut(readCorpus(corpusPath));
const trainChars = Array.from(train);
const known = new Set(trainChars);
const heldChars = Array.from(heldOut).map((c) => (known.has(c) ? c : UNK));
console.log(`corpus ${corpusPath}: ${trainChars.length} training, ${countChars(heldOut)} held-out characters`);
for (const order of orders) {
  const started = performance.now();
  const lm = new KneserNey(order, trainChars);
  let nats = 0;
  for (let i = 0; i < heldChars.length; i++) {
    nats -= Math.log(lm.prob(heldChars.slice(Math.max(0, i - order + 1), i), heldChars[i] as string));
  }
  const loss = nats / heldChars.length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `order ${order} interpolated Kneser-Ney: held-out ${loss.toFixed(4)} nats/char, ${(loss / Math.LN2).toFixed(4)} bits/char (${seconds} s)`,
  );
}
