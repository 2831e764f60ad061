import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../../config';
import { type ConfigDirectorySource, configDirectoryOf, type PreparedConfigDirectory } from './config-directory';

/**
 * The file synth writes into the config directory's layer (infra/config-directory-layer.ts): the file realm's
 * users, their roles and roles.yml, parsed and checked at synth. The layer is read-only and never changes
 * under a function, so a deployed function reads it once, with JSON.parse, and loads no YAML parser.
 */
export const PREPARED_CONFIG_FILE = 'file-realm.json';

export function preparedConfigDirectory(directory: string): ConfigDirectorySource {
  let text: string;
  try {
    text = readFileSync(join(directory, PREPARED_CONFIG_FILE), 'utf8');
  } catch {
    throw new ConfigurationError(
      `ES_PATH_CONF: [${directory}] holds no ${PREPARED_CONFIG_FILE}: a deployed function reads the file realm as synth prepared it`,
    );
  }
  const loaded = configDirectoryOf(JSON.parse(text) as PreparedConfigDirectory);
  return { current: () => loaded };
}
