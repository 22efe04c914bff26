// TypeDoc plugin: names each module of the API reference after its package ("@seqgen/core")
// instead of its entry point's path ("core/src"), which is what users import.
import { readFileSync } from 'node:fs';
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (_context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const dir = /^(.+)\/src$/.exec(reflection.name)?.[1];
    if (!dir) return;
    try {
      reflection.name = JSON.parse(readFileSync(`packages/${dir}/package.json`, 'utf8')).name;
    } catch {
      // Not a package folder: keep TypeDoc's name.
    }
  });
}
