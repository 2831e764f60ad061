import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS } from '../../infra/routes';
import { buildServiceApp } from '../../infra/service-app';
import { type Resource, synthesize } from '../support/cdk-app';
import { writeConfigDirectory } from '../support/realm-settings';

/** `cdk synth -c esPathConf=DIR`, without bundling the functions (the layer's asset is staged all the same). */
const synthWith = (esPathConf: string) => synthesize(buildServiceApp, { esPathConf });

describe('the file realm, deployed (-c esPathConf)', () => {
  const directory = writeConfigDirectory({
    users: 'deployer:$2a$10$Ml0Ykcgg9JRyc3wo4rB6nuhZCz2DiSXu7ZQmrSBJmC3I8CIsF9qGe\n',
    users_roles: 'token_manager:deployer\n',
    'roles.yml': 'token_manager:\n  cluster: [manage_token]\nbroken:\n  cluster: [no_such_privilege]\n',
    'elasticsearch.keystore': 'not for a function',
  });
  const { assembly, resources } = synthWith(directory);

  it('every function carries one layer of the realm files and reads them from ES_PATH_CONF=/opt/es-config', () => {
    // The config directory's layer; every function carries the on-demand libraries' too, the SAML functions the
    // SAML library's (infra/on-demand-library-layer.ts, saml-library-layer.ts).
    const layers = Object.entries(resources).filter(
      ([id, r]) => r.Type === 'AWS::Lambda::LayerVersion' && id.startsWith('FileRealm'),
    );
    expect(layers).toHaveLength(1);
    const [layerId] = layers[0] as [string, Resource];
    const functions = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function' && (r.Properties.Environment as { Variables?: object })?.Variables !== undefined,
    );
    expect(functions).toHaveLength(Object.keys(FUNCTIONS).length);
    for (const fn of functions) {
      expect((fn.Properties.Layers as unknown[]).filter((layer) => JSON.stringify(layer).includes('FileRealm'))).toEqual([
        { Ref: layerId },
      ]);
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.ES_PATH_CONF).toBe('/opt/es-config');
    }
  });

  it('the layer holds users, users_roles and roles.yml as parsed at synth, and nothing else of the directory', () => {
    const stackArtifact = assembly.stacks[0];
    const assetPaths = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    const layerAsset = assetPaths.find((name) => existsSync(join(assembly.directory, name, 'es-config')));
    expect(stackArtifact).toBeDefined();
    expect(layerAsset).toBeDefined();
    const layerDirectory = join(assembly.directory, layerAsset as string, 'es-config');
    expect(readdirSync(layerDirectory)).toEqual(['file-realm.json']);
    // Parsed: the function reads JSON (no YAML parser in its bundle); a skipped role is not in it.
    const prepared = JSON.parse(readFileSync(join(layerDirectory, 'file-realm.json'), 'utf8'));
    expect(prepared.users.map(([name]: [string]) => name)).toEqual(['deployer']);
    expect(prepared.usersRoles).toEqual([['deployer', ['token_manager']]]);
    expect(prepared.roles.map(([name]: [string]) => name)).toEqual(['token_manager']);
    expect(JSON.stringify(prepared)).not.toContain('not for a function');
  });

  it('a role the functions would skip is a synth warning that names it (the same parser as at start)', () => {
    const warnings = assembly.stacks[0]?.messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data)) ?? [];
    expect(warnings.some((w) => w.includes('[broken]') && w.includes('no_such_privilege'))).toBe(true);
  });

  it('a directory that is not there fails the synth, naming the context key', () => {
    expect(() => synthWith('/nonexistent/es-config')).toThrow(
      /^context esPathConf: ES_PATH_CONF: \[\/nonexistent\/es-config\] is not a directory/,
    );
  });

  it('without esPathConf no function has the config directory layer or ES_PATH_CONF (the file realm stays off, as before)', () => {
    const { resources: all } = synthesize(buildServiceApp);
    const layers = Object.keys(all).filter((id) => all[id]?.Type === 'AWS::Lambda::LayerVersion');
    expect(layers.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['OnDemandLibrariesLayer', 'SamlLibraryLayer']);
    for (const fn of Object.values(all).filter((r) => r.Type === 'AWS::Lambda::Function')) {
      expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toContain('ES_PATH_CONF');
    }
  });
});
