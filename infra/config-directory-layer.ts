import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Annotations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ConfigurationError } from '../functions/config';
import type { PreparedConfigDirectory } from '../functions/security/config-directory/config-directory';
import { prepareConfigDirectory } from '../functions/security/config-directory/config-directory-files';
import { PREPARED_CONFIG_FILE } from '../functions/security/config-directory/prepared-config-directory';
import { LAMBDA_RUNTIME } from './node-runtime';

/** Where a layer's content is mounted in a function: `/opt`, plus the folder the layer holds. */
export const DEPLOYED_ES_PATH_CONF = '/opt/es-config';

/**
 * The file realm of a deployment: `users`, `users_roles` and `roles.yml` of an Elasticsearch config directory
 * (`-c esPathConf=./config`), shipped to every function as a Lambda layer, so a deployed API has the same realm
 * as `npm start` on that directory. The files are parsed here, at synth, by the parser `npm start` uses, so a
 * role the functions would skip is a synth warning, and a directory that is not there fails the synth; the
 * layer holds what was parsed, as JSON, and no function parses YAML at its cold start. Only those three files
 * are read for the file realm; the SSO realms add their settings and the files they name (sso-settings.ts), never
 * a private key: a config directory may hold a keystore or keys that have no business in a function's code.
 */
export class ConfigDirectoryLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly directory: string;
      /** The SSO realms' settings and files, as prepared at synth (sso-settings.ts), by path in the layer's folder. */
      readonly realmFiles?: ReadonlyMap<string, string>;
    },
  ) {
    super(scope, id);
    const directory = resolve(props.directory);
    let files: ReturnType<typeof prepareConfigDirectory>;
    try {
      files = prepareConfigDirectory(directory);
    } catch (error) {
      if (error instanceof ConfigurationError) throw new ConfigurationError(`context esPathConf: ${error.message}`);
      throw error;
    }
    for (const [i, warning] of files.warnings.entries())
      Annotations.of(this).addWarningV2(`es-token-service:esPathConf:${i}`, warning);
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code: lambda.Code.fromAsset(staged(files.prepared, props.realmFiles ?? new Map())),
      compatibleRuntimes: [LAMBDA_RUNTIME],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      description: 'The config directory as parsed at synth (ES_PATH_CONF): the file realm, the SSO realms and their files',
    });
  }
}

/**
 * A folder holding `es-config/file-realm.json`: the realm's files as parsed here, so a function reads them with
 * JSON.parse and bundles no YAML parser (functions/security/config-directory/prepared-config-directory.ts). The
 * asset's hash is that of their content.
 */
function staged(prepared: PreparedConfigDirectory, realmFiles: ReadonlyMap<string, string>): string {
  const staging = mkdtempSync(join(tmpdir(), 'es-config-layer-'));
  const target = join(staging, 'es-config');
  mkdirSync(target);
  writeFileSync(join(target, PREPARED_CONFIG_FILE), JSON.stringify(prepared));
  for (const [name, content] of realmFiles) {
    mkdirSync(dirname(join(target, name)), { recursive: true });
    writeFileSync(join(target, name), content);
  }
  return staging;
}
