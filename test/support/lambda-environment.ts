import { delimiter, join } from 'node:path';
import { LAYER_MODULES } from '../../infra/library-layer';

/** A function of a synthesized template, as much as its environment needs. */
export interface TemplateFunction {
  /** The construct name (`GetTokenFunction`). */
  readonly name: string;
  readonly memorySize: number;
  /** As the template declares them: a string, or a reference (`{ Ref: … }`) to resolve locally. */
  readonly variables: Record<string, unknown>;
  /** The asset directories of its layers: their `nodejs/node_modules` resolve its packages, as on Lambda. */
  readonly layers?: readonly string[];
}

/**
 * The environment a deployed function runs with, for a local process: what the Lambda runtime sets, the
 * template's variables, and for each reference the local value in `resolved` (a table name, the secret's
 * ARN), which also carries the local endpoints. A reference without a local value is an error, not a gap.
 */
export function lambdaEnvironment(fn: TemplateFunction, resolved: Record<string, string>): Record<string, string> {
  const environment: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // Lambda's NODE_PATH holds /opt/nodejs/node_modules, where a layer's packages are mounted.
    ...(fn.layers !== undefined &&
      fn.layers.length > 0 && { NODE_PATH: fn.layers.map((layer) => join(layer, LAYER_MODULES)).join(delimiter) }),
  };
  for (const [name, value] of Object.entries(fn.variables)) {
    const local = typeof value === 'string' ? value : resolved[name];
    if (local === undefined) throw new Error(`${fn.name}: no local value for ${name} (${JSON.stringify(value)})`);
    environment[name] = local;
  }
  return { ...environment, ...resolved };
}
