import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { type BuildOptions, buildSync } from 'esbuild';
import { ESBUILD_TARGET, LAMBDA_RUNTIME } from './node-runtime';

/**
 * The packages the SAML functions import (functions/security/authc/saml/) that no function bundles: every
 * function leaves them out (lambda-functions.ts), the SAML functions find them in this layer, where Lambda's
 * NODE_PATH (`/opt/nodejs/node_modules`) resolves them.
 */
export const SAML_LIBRARY_MODULES = ['@node-saml/node-saml', '@xmldom/xmldom'] as const;

/** Where the layer's modules are, under the layer's root (mounted at `/opt`). */
export const LAYER_MODULES = join('nodejs', 'node_modules');

/**
 * The SAML service provider library and its XML security stack (xml-crypto, xml-encryption, xpath, xml2js,
 * xmlbuilder, xmldom), about 580 KB minified: one layer version for the six SAML functions rather than a copy in
 * each, so each of their bundles stays under the 600 KB of every other function's, and a SAML request that a
 * deployment refuses (no such realm) never loads it. The realm loads node-saml at its first real SAML message
 * (saml-realm.ts imports it dynamically), xmldom at the function's start.
 *
 * Built here, at synth, from the project's own node_modules (the versions the tests ran), by esbuild with the
 * functions' target, as three modules at the paths the functions require: xmldom whole; node-saml's `lib/xml`
 * (the signature check saml-realm.ts calls) with its XML stack; node-saml's index, whose own `./xml` is left to
 * that module, so the stack is in the layer once and every DOM node comes from the one xmldom.
 */
export class SamlLibraryLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // A synth that bundles nothing (a test's, `aws:cdk:bundling-stacks` empty) gets an empty layer, as its
    // functions get no bundles: esbuild runs only where the assets are built.
    const directory = Stack.of(this).bundlingRequired ? stagedLibrary() : mkdtempSync(join(tmpdir(), 'saml-library-unbuilt-'));
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code: lambda.Code.fromAsset(directory),
      compatibleRuntimes: [LAMBDA_RUNTIME],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      description: 'The SAML service provider library (@node-saml/node-saml) and its XML stack, bundled at synth',
    });
  }
}

/** A folder holding `nodejs/node_modules/…` with the three modules and the package files that name them. */
function stagedLibrary(): string {
  const staging = mkdtempSync(join(tmpdir(), 'saml-library-layer-'));
  const modules = join(staging, LAYER_MODULES);
  const options: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ESBUILD_TARGET,
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'error',
    external: ['@xmldom/xmldom'],
  };
  const build = (entry: string, outfile: string, extra: Partial<BuildOptions> = {}) =>
    buildSync({ ...options, ...extra, entryPoints: [require.resolve(entry)], outfile: join(modules, outfile) });
  build('@xmldom/xmldom', '@xmldom/xmldom/index.js', { external: [] });
  build('@node-saml/node-saml/lib/xml', '@node-saml/node-saml/lib/xml.js');
  build('@node-saml/node-saml', '@node-saml/node-saml/lib/index.js', { external: ['@xmldom/xmldom', './xml'] });
  writePackage(join(modules, '@xmldom/xmldom'), '@xmldom/xmldom', 'index.js');
  writePackage(join(modules, '@node-saml/node-saml'), '@node-saml/node-saml', 'lib/index.js');
  return staging;
}

function writePackage(directory: string, name: string, main: string): void {
  const { version } = require(`${name}/package.json`) as { version: string };
  mkdirSync(dirname(join(directory, main)), { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, version, main }));
}
