import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../functions/config';
import { FUNCTIONS } from '../../infra/routes';
import { TABLES } from '../../infra/tables';
import { TokenServiceStack } from '../../infra/token-service-stack';
import { synthesize } from '../support/cdk-app';

type EnvFile = Record<string, Record<string, unknown>>;

/**
 * `sam local start-api --env-vars infra/sam-local/env.json` runs the synthesized template's functions, and
 * sam resolves no `Ref`: a variable the file does not set keeps a logical id for a value (a table "name" such
 * as `UsersTable1A2B3C`), and the API that reads it fails. SAM CLI cannot run here, so this checks the two
 * files sam would put together: the template's variables, and the file.
 */
describe('sam local: env.json covers the environment of every function of the template', () => {
  const envFile = JSON.parse(readFileSync(join(__dirname, '../../infra/sam-local/env.json'), 'utf8')) as EnvFile;
  const { template } = synthesize((app) => new TokenServiceStack(app, 'SamLocal', { samLocal: true }));
  const functions = Object.entries(template.findResources('AWS::Lambda::Function')) as [
    string,
    { Properties: { Environment: { Variables: Record<string, unknown> } } },
  ][];
  const parameters = envFile.Parameters ?? {};

  it('has one function per API in the template', () => {
    expect(functions).toHaveLength(Object.keys(FUNCTIONS).length);
  });

  it.each(functions.map(([logicalId, fn]) => [logicalId, fn] as const))(
    'sets every variable of %s, the ones the template fills with a Ref or GetAtt above all',
    (logicalId, fn) => {
      const covered = { ...parameters, ...envFile[logicalId] };
      const missing = Object.keys(fn.Properties.Environment.Variables).filter((name) => !(name in covered));
      expect(missing).toEqual([]);
    },
  );

  it('sets nothing that no function declares (sam ignores it silently: a misspelt name would look set)', () => {
    const declared = new Set(functions.flatMap(([, fn]) => Object.keys(fn.Properties.Environment.Variables)));
    expect(Object.keys(parameters).filter((name) => !declared.has(name))).toEqual([]);
  });

  it('holds only strings, valid settings, and the table names infra/local/create-tables.ts creates', () => {
    expect(Object.values(parameters).every((value) => typeof value === 'string')).toBe(true);
    const config = loadConfig(parameters as Record<string, string>);
    const created = loadConfig({});
    for (const { localName } of Object.values(TABLES)) expect(localName(config)).toBe(localName(created));
    expect(config.elasticPasswordSecretArn).toBeUndefined();
  });
});
