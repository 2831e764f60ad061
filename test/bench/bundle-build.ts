import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { bundlingOf } from '../../infra/lambda-functions';
import { FUNCTIONS } from '../../infra/routes';

const ROOT = join(__dirname, '..', '..');

/** esbuild's options as NodejsFunction passes it the stack's bundling options (infra/lambda-functions.ts). */
function esbuildOptions(tracing: boolean): BuildOptions {
  const bundling = bundlingOf(tracing);
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: bundling.target,
    minify: bundling.minify,
    sourcemap: bundling.sourceMap,
    sourcesContent: bundling.sourcesContent,
    mainFields: bundling.mainFields,
    external: bundling.externalModules,
    logLevel: 'silent',
  };
}

/**
 * The floor: the least a function on this stack can be, a DynamoDBDocumentClient doing one GetItem, bundled
 * with the stack's own options (the SDK in the bundle, minified, with its source map). Every function's cold
 * start is reported against it, measured in the same run on the same machine.
 */
const FLOOR_SOURCE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT || undefined }));
export const handler = async (event) => {
  const { Item } = await documents.send(new GetCommand({ TableName: event.tableName, Key: event.key, ConsistentRead: true }));
  return { statusCode: 200, body: JSON.stringify({ found: Item !== undefined }) };
};
`;

/**
 * The floor's client doing the storage calls a token function's first request cannot do without: the read
 * of the caller's pair with its scopes' three watermarks (one BatchGetItem of four items), then get token's PutItem
 * of a new pair (with the index keys a pair carries), the invalidation's UpdateItem, or no write (authenticate's
 * one call). A reference beside
 * the floor, never the ratios' denominator: it shows what of a function's cold start is the storage engine's.
 */
const STORAGE_FLOOR_SOURCE = `
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT || undefined }));
export const handler = async (event) => {
  const TableName = event.tableName;
  const read = await documents.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: event.keys, ConsistentRead: true } } }));
  const now = Date.now();
  if (event.write === 'put') {
    const id = randomUUID();
    await documents.send(new PutCommand({
      TableName,
      Item: { id, realmKey: 'bench_floor#0', userKey: 'bench_floor#0', realm: 'bench_floor', createdAt: now, expiresAt: Math.floor(now / 1000) + 1200, pair: 'x'.repeat(700) },
      ConditionExpression: 'attribute_not_exists(id)',
    }));
  } else if (event.write === 'update') {
    await documents.send(new UpdateCommand({
      TableName,
      Key: event.keys[0],
      UpdateExpression: 'SET invalidatedAt = if_not_exists(invalidatedAt, :now)',
      ExpressionAttributeValues: { ':now': now },
      ReturnValues: 'ALL_OLD',
    }));
  }
  return { statusCode: 200, body: JSON.stringify({ read: Object.keys(read.Responses ?? {}).length }) };
};
`;

/** Writes the floor's `index.js` and `index.js.map` into `directory`; `storage`, the reference floor's. */
export async function buildFloor(directory: string, storage = false): Promise<void> {
  await build({
    ...esbuildOptions(false),
    stdin: {
      contents: storage ? STORAGE_FLOOR_SOURCE : FLOOR_SOURCE,
      resolveDir: ROOT,
      loader: 'js',
      sourcefile: storage ? 'storage-floor.js' : 'floor.js',
    },
    outfile: join(directory, 'index.js'),
  });
}

/** `GetTokenFunction` → its function definition's entry, as the stack names its functions. */
function entryOf(functionName: string): string | undefined {
  const id = Object.keys(FUNCTIONS).find((key) => `${key[0]?.toUpperCase()}${key.slice(1)}Function` === functionName);
  return id === undefined ? undefined : FUNCTIONS[id as keyof typeof FUNCTIONS].entry;
}

/** A package (`@aws-sdk/client-dynamodb`) or a folder of the project (`functions/security`). */
function contributorOf(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (inPackage?.[1] !== undefined) return inPackage[1];
  return input.split('/').slice(0, 2).join('/');
}

/**
 * What a function's bundle is made of, by esbuild's metafile: the largest contributors, in bytes of the
 * output. The function is built again with the stack's options (the cloud assembly keeps no metafile).
 */
export async function topContributors(functionName: string, tracing: boolean, count = 5): Promise<[string, number][]> {
  const entry = entryOf(functionName);
  if (entry === undefined) return [];
  const { metafile } = await build({
    ...esbuildOptions(tracing),
    entryPoints: [join(ROOT, entry)],
    outfile: join(ROOT, 'cdk.out', 'bench-metafile', 'index.js'),
    write: false,
    metafile: true,
  });
  return contributors(metafile, count);
}

function contributors(metafile: Metafile, count: number): [string, number][] {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = contributorOf(input);
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, count);
}
