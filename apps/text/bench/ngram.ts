// Character n-gram baseline: interpolated Kneser-Ney (`NgramModel` from @seqgen/models), trained on the
// same training text and scored on the same held-out tail as `seqgen-text train`; `seqgen-text eval`
// prints the order-5 model beside every checkpoint. Run: `pnpm --filter @seqgen/app-text bench [--orders 3,4,5] [--corpus FILE]`.
import { NgramModel } from '@seqgen/models';
import { countChars, readCorpus, splitHeldOut } from '../src/corpus.js';
import { mobyDickPath } from '../src/moby-dick.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const corpusPath = arg('--corpus', mobyDickPath());
const orders = arg('--orders', '3,4,5,6').split(',').map(Number);
const { train, heldOut } = splitHeldOut(readCorpus(corpusPath));
const trainChars = Array.from(train);
console.log(`corpus ${corpusPath}: ${trainChars.length} training, ${countChars(heldOut)} held-out characters`);
for (const order of orders) {
  const started = performance.now();
  const loss = NgramModel.train(trainChars, { order }).evaluate(heldOut).natsPerSymbol;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `order ${order} interpolated Kneser-Ney: held-out ${loss.toFixed(4)} nats/char, ${(loss / Math.LN2).toFixed(4)} bits/char (${seconds} s)`,
  );
}
