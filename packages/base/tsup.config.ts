import { packageConfig } from '../../tsup.package.ts';

export default packageConfig({
  // The error classes are bundled under other identifiers when the shared set is
  // picked (see src/errors.ts); keepNames keeps their `name` ("ConfigError").
  keepNames: true,
});
