import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { type BuildOptions, buildSync } from 'esbuild';
import { ESBUILD_TARGET, LAMBDA_RUNTIME } from './node-runtime';

/** Where a layer's modules are, under the layer's root (mounted at `/opt`): Lambda's NODE_PATH resolves them. */
export const LAYER_MODULES = join('nodejs', 'node_modules');

/** Builds one module of a layer from `entry` (a package path, or `stdin` source) into `outfile` under its modules. */
type ModuleBuilder = (outfile: string, from: { entry?: string; source?: string }, extra?: Partial<BuildOptions>) => void;

export interface LibraryLayerProps {
  readonly description: string;
  /** Writes the layer's modules, each with the package file that names it (`writePackage`). */
  readonly stage: (build: ModuleBuilder, modules: string) => void;
}

/**
 * A layer of libraries the functions leave out of their bundles (lambda-functions.ts) and require only when a
 * request needs them: built here, at synth, from the project's own node_modules (the versions the tests ran), by
 * esbuild with the functions' target, at the paths the functions require.
 */
export class LibraryLayer extends Construct {
  readonly layer: lambda.LayerVersion;

  constructor(scope: Construct, id: string, props: LibraryLayerProps) {
    super(scope, id);
    // A synth that bundles nothing (a test's, `aws:cdk:bundling-stacks` empty) gets an empty layer, as its
    // functions get no bundles: esbuild runs only where the assets are built.
    const directory = Stack.of(this).bundlingRequired ? staged(props.stage) : mkdtempSync(join(tmpdir(), 'library-unbuilt-'));
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code: lambda.Code.fromAsset(directory),
      compatibleRuntimes: [LAMBDA_RUNTIME],
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      description: props.description,
    });
  }
}

function staged(stage: LibraryLayerProps['stage']): string {
  const staging = mkdtempSync(join(tmpdir(), 'library-layer-'));
  const modules = join(staging, LAYER_MODULES);
  const options: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: ESBUILD_TARGET,
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'error',
  };
  stage((outfile, { entry, source }, extra = {}) => {
    const input =
      source !== undefined
        ? { stdin: { contents: source, resolveDir: join(__dirname, '..'), loader: 'js' as const } }
        : { entryPoints: [require.resolve(entry as string)] };
    buildSync({ ...options, ...extra, ...input, outfile: join(modules, outfile) });
  }, modules);
  return staging;
}

/** The package file naming a layer module's `main`, with the version the project installed. */
export function writePackage(modules: string, name: string, main: string): void {
  const { version } = installedPackage(name);
  const directory = join(modules, name);
  mkdirSync(dirname(join(directory, main)), { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, version, main }));
}

/** The package file of `name` as installed: found up from its entry, as some packages export no `./package.json`. */
function installedPackage(name: string): { version: string } {
  for (let directory = dirname(require.resolve(name)); directory !== dirname(directory); directory = dirname(directory)) {
    const file = join(directory, 'package.json');
    if (!existsSync(file)) continue;
    const found = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (found.name === name) return found;
  }
  throw new Error(`no package file for ${name}`);
}
