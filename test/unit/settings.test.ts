import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '../../functions/config';
import { ConfigurationError, phaseOf, readSetting, readValue, type Setting } from '../../functions/setting-types';
import { CONFIG_SETTINGS, SETTINGS } from '../../functions/settings';

const all = Object.entries(SETTINGS) as [string, Setting][];
const ROOT = join(__dirname, '..', '..');

describe('the settings table', () => {
  it('names each variable and each context key once', () => {
    const names = all.flatMap(([, s]) => [s.env, s.envFallback, s.context]).filter((n) => n !== undefined);
    expect(names.length).toBeGreaterThan(40);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(all)('%s: is runtime (a variable) or deploy-time (a context key only), and its deployment says so', (_, s) => {
    expect(s.env !== undefined || s.context !== undefined).toBe(true);
    expect(s.description).toMatch(/\.$/);
    if (phaseOf(s) === 'deploy') expect(s.deployed).toBeUndefined();
    // A runtime setting with a context key reaches the deployed functions from that key, and only such a one.
    if (s.env !== undefined) expect(s.deployed === 'context').toBe(s.context !== undefined);
  });

  it.each(all.filter(([, s]) => s.default !== undefined))('%s: its default is a value it allows', (_, s) => {
    expect(() => readValue(s, s.default, 'default')).not.toThrow();
    expect(s.defaultText).toBeUndefined();
  });

  it('loadConfig reads every setting of CONFIG_SETTINGS, at its default when unset', () => {
    const config = loadConfig({});
    expect(Object.keys(config).sort()).toEqual(Object.keys(CONFIG_SETTINGS).sort());
    expect(config).toMatchObject({
      accessTokenTimeoutMs: 1_200_000,
      refreshTokenLifetimeMs: 86_400_000,
      revokeOnAccountChange: false,
      refreshReuseDetection: false,
      indexShards: 16,
      invalidationBudgetMs: 20_000,
      invalidationDrainMs: 1_000,
      invalidationSettleMs: 1_000,
      invalidationConcurrency: 32,
      invalidationPageSize: 100,
      tokensTable: 'es-tokens',
      usersTable: 'es-users',
      rolesTable: 'es-roles',
      roleMappingsTable: 'es-role-mappings',
      region: 'us-east-1',
      elasticPasswordMaxAgeMs: 300_000,
    });
    expect(config.dynamodbEndpoint).toBeUndefined();
  });

  it('reads AWS_DEFAULT_REGION when AWS_REGION is unset or empty, as the AWS SDK does', () => {
    expect(loadConfig({ AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(loadConfig({ AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(loadConfig({ AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-north-1');
  });

  it('refuses a value out of range with one line naming the variable and what it allows', () => {
    expect(() => readSetting(SETTINGS.port, { PORT: '70000' })).toThrow(
      new ConfigurationError('PORT: [70000] must be a whole number from 0 to 65535'),
    );
    expect(() => readSetting(SETTINGS.powertoolsTraceEnabled, { POWERTOOLS_TRACE_ENABLED: 'yes' })).toThrow(
      'POWERTOOLS_TRACE_ENABLED: [yes] must be true or false',
    );
    expect(() => loadConfig({ INVALIDATION_PAGE_SIZE: '1001' })).toThrow(
      'INVALIDATION_PAGE_SIZE: [1001] must be a whole number from 1 to 1000',
    );
  });

  it('reads reserved concurrency as the command line writes it and as cdk.json does', () => {
    const { reservedConcurrency } = SETTINGS;
    expect(readValue(reservedConcurrency, 'getToken=50, authenticate=200', 'x')).toEqual({ getToken: 50, authenticate: 200 });
    expect(readValue(reservedConcurrency, '{"getToken":50}', 'x')).toEqual({ getToken: 50 });
    for (const bad of ['getToken', 'getToken=-1', '=5', '{"getToken":', '[1]']) {
      expect(() => readValue(reservedConcurrency, bad, 'context reservedConcurrency')).toThrow(ConfigurationError);
    }
  });
});

/** The modules a module imports, by resolved path (relative imports only: a package is named as written). */
function imports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map(([, specifier]) =>
    specifier?.startsWith('.') ? `${resolve(dirname(file), specifier)}.ts` : (specifier as string),
  );
}

describe('the settings table is a leaf', () => {
  it('imports nothing but its own modules, transitively (cdk synth and every function load it)', () => {
    const seen = new Set<string>();
    const pending = [join(ROOT, 'functions/settings.ts'), join(ROOT, 'functions/config.ts')];
    while (pending.length > 0) {
      const file = pending.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const imported of imports(file)) {
        expect(imported.startsWith(join(ROOT, 'functions'))).toBe(true);
        pending.push(imported);
      }
    }
    expect([...seen].map((file) => file.slice(ROOT.length + 1)).sort()).toEqual([
      'functions/config.ts',
      'functions/deploy-settings.ts',
      'functions/java-text.ts',
      'functions/setting-types.ts',
      'functions/settings.ts',
      'functions/time-value.ts',
    ]);
  });
});
