import { packageConfig } from '../../tsup.package.ts';

// doctor-cli is the `seqgen-doctor` command.
export default packageConfig({ entry: ['src/index.ts', 'src/doctor-cli.ts'] });
