import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { STACK_NAME } from '../../infra/service-app';

const ROOT = join(__dirname, '..', '..');
const CDK_CLI = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
/** What the cloud assembly is made from: a change to any of these makes an existing one stale. */
const SOURCES = ['functions', 'infra', 'package-lock.json', 'cdk.json', 'tsconfig.json'];

/** One Lambda function of the synthesized template, with the asset `cdk deploy` would upload for it. */
export interface AssemblyFunction {
  /** The construct name, as `sam local invoke` takes it: `GetTokenFunction`. */
  readonly name: string;
  readonly assetDirectory: string;
  readonly memorySize: number;
  /** The environment as the template declares it: a string, or a reference (`{ Ref: … }`) to resolve. */
  readonly environment: Record<string, unknown>;
  /** The asset directories of the layers it carries, in the template's order (mounted at /opt on Lambda). */
  readonly layers: readonly string[];
}

export interface CloudAssembly {
  readonly directory: string;
  /** Synthesized by this run, or an existing assembly newer than every source. */
  readonly reused: boolean;
  readonly functions: readonly AssemblyFunction[];
}

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function isFresh(directory: string): boolean {
  const manifest = join(directory, 'manifest.json');
  if (!existsSync(manifest) || !existsSync(join(directory, `${STACK_NAME}.template.json`))) return false;
  const sources = SOURCES.map((source) => join(ROOT, source)).filter(existsSync);
  return statSync(manifest).mtimeMs > Math.max(...sources.map(newestChange));
}

type TemplateResource = {
  Type: string;
  Properties: { MemorySize: number; Environment?: { Variables: Record<string, unknown> }; Layers?: { Ref?: string }[] };
  Metadata?: Record<string, unknown>;
};

function functionsOf(directory: string): AssemblyFunction[] {
  const template = JSON.parse(readFileSync(join(directory, `${STACK_NAME}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const constructPath = new RegExp(`^${STACK_NAME}/(\\w+Function)/Resource$`);
  return Object.values(template.Resources).flatMap((resource) => {
    const name = constructPath.exec(String(resource.Metadata?.['aws:cdk:path']))?.[1];
    const asset = resource.Metadata?.['aws:asset:path'];
    if (resource.Type !== 'AWS::Lambda::Function' || name === undefined || typeof asset !== 'string') return [];
    return [
      {
        name,
        assetDirectory: join(directory, asset),
        memorySize: resource.Properties.MemorySize,
        environment: resource.Properties.Environment?.Variables ?? {},
        layers: (resource.Properties.Layers ?? []).map(({ Ref }) => {
          const layerAsset = Ref === undefined ? undefined : template.Resources[Ref]?.Metadata?.['aws:asset:path'];
          if (typeof layerAsset !== 'string') throw new Error(`${name}: a layer without an asset (${Ref})`);
          return join(directory, layerAsset);
        }),
      },
    ];
  });
}

/**
 * The cloud assembly `cdk deploy` would upload: `cdk synth` by the CLI (the stack's own bundling, cdk-nag
 * included), into `directory`, unless what is there was synthesized after the last change to the sources.
 */
export async function cloudAssembly(directory: string, progress: (line: string) => void): Promise<CloudAssembly> {
  const reused = isFresh(directory);
  if (reused) {
    progress(`reusing the cloud assembly in ${relative(process.cwd(), directory) || '.'} (newer than every source)`);
  } else {
    progress(`cdk synth into ${relative(process.cwd(), directory) || '.'}`);
    await promisify(execFile)(process.execPath, [CDK_CLI, 'synth', '--quiet', '--no-notices', '--output', directory], {
      cwd: ROOT,
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  const functions = functionsOf(directory);
  if (functions.length === 0) throw new Error(`no bundled function in the template of ${directory}`);
  return { directory, reused, functions };
}
