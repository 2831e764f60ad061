import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The layers of docs/adding-an-api.md#layers, lowest first: a module may import its own layer and the layers
 * below it, never one above. A module is in the layer of the first pattern it matches.
 */
const LAYERS: readonly { readonly name: string; readonly modules: readonly RegExp[] }[] = [
  {
    name: 'foundation',
    modules: [/^functions\/http\/limits\.ts$/, /^functions\/(?!service\.ts$)[^/]+\.ts$/, /^functions\/json\//],
  },
  { name: 'telemetry', modules: [/^functions\/telemetry\//] },
  { name: 'security names', modules: [/^functions\/security\/validation\.ts$/] },
  { name: 'authentication', modules: [/^functions\/security\/authc\//] },
  { name: 'authorization', modules: [/^functions\/security\/authz\//] },
  { name: 'config directory', modules: [/^functions\/security\/config-directory\//] },
  { name: 'administration', modules: [/^functions\/security\/admin\//] },
  { name: 'tokens', modules: [/^functions\/tokens\//] },
  { name: 'audit', modules: [/^functions\/audit\//] },
  { name: 'adapters', modules: [/^functions\/store\//, /^functions\/aws\//] },
  { name: 'app', modules: [/^functions\/app\//] },
  { name: 'api registry', modules: [/^functions\/api\//] },
  { name: 'http pipeline', modules: [/^functions\/http\//] },
  { name: 'composition root', modules: [/^functions\/composition\//, /^functions\/service\.ts$/] },
  { name: 'handlers', modules: [/^functions\/handlers\//, /^functions\/authorizer\//] },
  { name: 'infra', modules: [/^infra\//] },
];

const ROOT = path.join(__dirname, '..', '..', '..');

function modulesUnder(directory: string): string[] {
  return readdirSync(path.join(ROOT, directory)).flatMap((name) => {
    const relative = `${directory}/${name}`;
    if (statSync(path.join(ROOT, relative)).isDirectory()) return modulesUnder(relative);
    return name.endsWith('.ts') ? [relative] : [];
  });
}

interface Import {
  readonly specifier: string;
  /** Erased at compile time: `import type`, or only type names imported. */
  readonly typeOnly: boolean;
}

const isTypeOnly = (clause: ts.ImportClause | undefined) =>
  clause !== undefined &&
  (clause.isTypeOnly ||
    (clause.name === undefined &&
      clause.namedBindings !== undefined &&
      ts.isNamedImports(clause.namedBindings) &&
      clause.namedBindings.elements.length > 0 &&
      clause.namedBindings.elements.every((element) => element.isTypeOnly)));

/** Every import of a module, as the TypeScript parser reads it: declarations, re-exports, `import()` and `require()`. */
function importsOf(module: string): Import[] {
  const source = ts.createSourceFile(module, readFileSync(path.join(ROOT, module), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnly(node.importClause) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier as the project module it names; undefined for a package. */
function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.join(path.posix.dirname(from), specifier);
  const candidate = [`${base}.ts`, `${base}/index.ts`, base].find((file) => {
    try {
      return statSync(path.join(ROOT, file)).isFile();
    } catch {
      return false;
    }
  });
  if (candidate === undefined) throw new Error(`${from} imports ${specifier}, which is no module of the project`);
  return candidate;
}

function layerOf(module: string): number {
  const index = LAYERS.findIndex((layer) => layer.modules.some((pattern) => pattern.test(module)));
  if (index < 0) throw new Error(`${module} is in no layer: place it in LAYERS (and in docs/adding-an-api.md#layers)`);
  return index;
}

const MODULES = [...modulesUnder('functions'), ...modulesUnder('infra')];

/** Each cycle of a module graph once, as the path that closes it (depth-first, from the first module on it). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (module: string, path: string[]): void => {
    const at = path.indexOf(module);
    if (at >= 0) return void cycles.push([...path.slice(at), module]);
    if (done.has(module)) return;
    for (const target of graph.get(module) ?? []) visit(target, [...path, module]);
    done.add(module);
  };
  for (const module of graph.keys()) visit(module, []);
  return cycles;
}

/** Import cycles among `modules`: a type import counts, since it ties the two modules' designs together all the same. */
function importCycles(modules: readonly string[]): string[][] {
  const graph = new Map(
    modules.map((module) => [
      module,
      importsOf(module).flatMap(({ specifier }) => {
        const target = resolve(module, specifier);
        return target === undefined ? [] : [target];
      }),
    ]),
  );
  return cyclesOf(graph);
}

describe('layers (docs/adding-an-api.md#layers)', () => {
  it('every module of functions/ and infra/ is in a layer', () => {
    for (const module of MODULES) expect(() => layerOf(module)).not.toThrow();
  });

  it('no module imports from a layer above its own', () => {
    const upward = MODULES.flatMap((module) =>
      importsOf(module).flatMap(({ specifier }) => {
        const target = resolve(module, specifier);
        if (target === undefined || layerOf(target) <= layerOf(module)) return [];
        return [`${module} (${LAYERS[layerOf(module)]?.name}) imports ${target} (${LAYERS[layerOf(target)]?.name})`];
      }),
    );
    expect(upward).toEqual([]);
  });

  it('no module of functions/ imports itself back through others (type imports included)', () => {
    expect(importCycles(MODULES.filter((module) => module.startsWith('functions/')))).toEqual([]);
  });

  it('finds a cycle made of type imports only', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('reads re-exports as imports, and puts tokens/ above security/', () => {
    // tokens/ is above security/: a security module importing a token module is what the check refuses.
    expect(layerOf('functions/security/authz/roles.ts')).toBeLessThan(layerOf('functions/tokens/token-service.ts'));
    expect(importsOf('functions/aws/eventbridge-put.ts').map((i) => i.specifier)).toContain(
      '@aws-sdk/client-eventbridge/dist-es/EventBridgeClient',
    );
    expect(importsOf('infra/local/server.ts').some((i) => i.specifier === '../../functions/api/registry')).toBe(true);
  });

  it('puts authentication below authorization, and both below the administration of users and roles', () => {
    // Authorization reads who authenticated (run-as looks its target up in the realm chain); the user and
    // role APIs' rules use both. A realm importing a role, or authorization an API's rules, is refused.
    const [authc, authz, admin] = ['authc/realm.ts', 'authz/run-as.ts', 'admin/native-users.ts'].map((module) =>
      layerOf(`functions/security/${module}`),
    );
    expect(authc).toBeLessThan(authz as number);
    expect(authz).toBeLessThan(admin as number);
    expect(layerOf('functions/json/json-fields.ts')).toBeLessThan(authc as number);
  });
});

/** What `cdk synth` loads: the project modules reachable from the app's entry by imports that survive compilation. */
function runtimeGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  for (let module = pending.pop(); module !== undefined; module = pending.pop()) {
    if (modules.has(module)) continue;
    modules.add(module);
    for (const { specifier, typeOnly } of importsOf(module)) {
      if (typeOnly) continue;
      const target = resolve(module, specifier);
      if (target === undefined) packages.add(specifier);
      else pending.push(target);
    }
  }
  return { modules, packages };
}

describe('cdk synth', () => {
  const { modules, packages } = runtimeGraph('infra/app.ts');

  it('loads neither middy nor Powertools: only the registry and leaf modules of functions/', () => {
    expect([...packages].filter((name) => /^@middy\/|^@aws-lambda-powertools\//.test(name))).toEqual([]);
    expect(modules.has('functions/api/registry.ts')).toBe(true);
  });

  it('loads no handler, no request pipeline and no logger (which reads process.env at import)', () => {
    const runtime = [...modules].filter((module) =>
      /^functions\/(handlers\/|telemetry\/|composition\/|http\/(es-handler|api-handler)\.ts$|service\.ts$)/.test(module),
    );
    expect(runtime).toEqual([]);
  });
});
