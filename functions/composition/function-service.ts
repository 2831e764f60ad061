import { loadConfig } from '../config';
import { preparedConfigDirectory } from '../security/config-directory/prepared-config-directory';
import { type Core, type CoreOverrides, createCore } from './core';

/**
 * A deployed function's service: the core and the parts its API adds, configured from the environment and
 * built at its first request, never at import. The handler module names the parts, so its bundle holds them
 * and nothing else.
 */
export function functionService<S extends object = object>(
  parts: (core: Core) => S = () => ({}) as S,
  adapters: Pick<CoreOverrides, 'revocationEvents'> = {},
): () => Core & S {
  let built: (Core & S) | undefined;
  return () => {
    if (built === undefined) {
      const core = createCore(loadConfig(), { configDirectory: preparedConfigDirectory, ...adapters });
      built = { ...core, ...parts(core) };
    }
    return built;
  };
}
