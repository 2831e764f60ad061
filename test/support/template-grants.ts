import type { Resource } from './cdk-app';

/**
 * What each function's role may do, read from a synthesized CloudFormation template alone: no construct,
 * no data the stack is built from. Functions and the resources their statements name are keyed by their
 * construct ids, which the template keeps as the logical id's prefix (`GetTokenFunction` of
 * `GetTokenFunctionC27C2239`); a table's index is `TokensTable/index/realm-index`.
 */

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Resource name → its actions, sorted. */
export type Grants = Record<string, string[]>;

const asArray = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

/** A logical id without the 8-hex-digit hash CDK appends to the construct path. */
const constructIdOf = (logicalId: string) => logicalId.replace(/[0-9A-F]{8}$/, '');

function nameOf(resource: unknown): string {
  const value = resource as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
  if (value.Ref !== undefined) return constructIdOf(value.Ref);
  if (value['Fn::GetAtt'] !== undefined) return constructIdOf(value['Fn::GetAtt'][0]);
  const parts = value['Fn::Join']?.[1];
  if (parts?.length === 2 && typeof parts[1] === 'string') return `${nameOf(parts[0])}${parts[1]}`;
  return JSON.stringify(resource);
}

/** The resource of the template whose construct id is `constructId`, with its logical id. */
export function byConstructId(resources: Record<string, Resource>, type: string, constructId: string): [string, Resource] {
  const found = Object.entries(resources).filter(([id, r]) => r.Type === type && constructIdOf(id) === constructId);
  if (found.length !== 1) throw new Error(`${found.length} resources ${constructId} of type ${type} in the template`);
  return found[0] as [string, Resource];
}

/** Every Allow of every policy attached to the function's role, by the resource it names. */
export function grantsOf(resources: Record<string, Resource>, functionConstructId: string): Grants {
  const [, fn] = byConstructId(resources, 'AWS::Lambda::Function', functionConstructId);
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const grants: Record<string, Set<string>> = {};
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') throw new Error(`${functionConstructId}: a statement with Effect ${statement.Effect}`);
    for (const resource of asArray(statement.Resource)) {
      const name = nameOf(resource);
      grants[name] ??= new Set();
      for (const action of asArray(statement.Action)) grants[name].add(action);
    }
  }
  return Object.fromEntries(Object.entries(grants).map(([name, actions]) => [name, [...actions].sort()]));
}

/** The construct ids of the template's functions that are the service's (`…Function`). */
export function functionConstructIds(resources: Record<string, Resource>): string[] {
  return Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && /Function$/.test(constructIdOf(id)))
    .map(([id]) => constructIdOf(id))
    .sort();
}
