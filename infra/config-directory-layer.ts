import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ConfigurationError } from '../functions/config';
import { loadConfigDirectory } from '../functions/security/file-realm';
import { CONFIG_DIRECTORY_FILES } from '../functions/security/watched-config-directory';
import { LAMBDA_RUNTIME } from './node-runtime';

/** Where a layer's content is mounted in a function: `/opt`, plus the folder the layer holds. */
export const DEPLOYED_ES_PATH_CONF = '/opt/es-config';

/**
 * The file realm of a deployment: `users`, `users_roles` and `roles.yml` of an Elasticsearch config directory
 * (`-c esPathConf=./config`), shipped to every function as a Lambda layer, so a deployed API has the same realm
 * as `npm start` on that directory. The files are read at synth by the same parser the functions use, so a
 * role the functions would skip is a synth warning, and a directory that is not there fails the synth.
 * Only those three files are copied: a config directory may hold a keystore or certificates that have no
 * business in a function's code.
 */
export class ConfigDirectoryLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string, props: { readonly directory: string }) {
    super(scope, id);
    const directory = resolve(props.directory);
    let warnings: string[];
    try {
      warnings = loadConfigDirectory(directory).warnings;
    } catch (error) {
      if (error instanceof ConfigurationError) throw new ConfigurationError(`context esPathConf: ${error.message}`);
      throw error;
    }
    for (const [i, warning] of warnings.entries()) Annotations.of(this).addWarningV2(`es-token-service:esPathConf:${i}`, warning);
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code: lambda.Code.fromAsset(stagedCopy(directory)),
      compatibleRuntimes: [LAMBDA_RUNTIME],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      description: 'The file realm: users, users_roles and roles.yml (ES_PATH_CONF)',
    });
  }
}

/** A folder holding `es-config/` with copies of the realm's files; the asset's hash is that of their content. */
function stagedCopy(directory: string): string {
  const staging = mkdtempSync(join(tmpdir(), 'es-config-layer-'));
  const target = join(staging, 'es-config');
  mkdirSync(target);
  for (const name of CONFIG_DIRECTORY_FILES) {
    if (existsSync(join(directory, name))) copyFileSync(join(directory, name), join(target, name));
  }
  return staging;
}
