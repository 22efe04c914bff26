// `seqgen-music`: the commands live in program.ts, so that tests can run them in-process too.
import { main } from './program.js';

await main(process.argv);
