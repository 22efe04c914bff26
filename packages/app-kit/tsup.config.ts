import { packageConfig } from '../../tsup.package.ts';

// commander stays external too: the app and the kit must share one copy (instanceof CommanderError).
export default packageConfig({ external: [/^@tensorflow\//, /^@seqgen\//, 'commander'] });
