import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLING } from '../../infra/lambda-functions';
import { ESBUILD_TARGET, LAMBDA_RUNTIME, NODE_MAJOR } from '../../infra/node-runtime';

const ROOT = join(__dirname, '../..');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

/** What is tested is what runs: one Node.js major for the Lambda runtime, the bundle, the CI and the types. */
describe('one Node.js major everywhere', () => {
  it('the Lambda runtime and the bundle target are the major of infra/node-runtime.ts', () => {
    expect(LAMBDA_RUNTIME.name).toBe(`nodejs${NODE_MAJOR}.x`);
    expect(BUNDLING.target).toBe(ESBUILD_TARGET);
    expect(ESBUILD_TARGET).toBe(`node${NODE_MAJOR}`);
  });

  it('package.json requires it and types it', () => {
    expect(packageJson.engines.node).toBe(`>=${NODE_MAJOR}`);
    expect(packageJson.devDependencies['@types/node']).toMatch(new RegExp(`^\\^?${NODE_MAJOR}\\.`));
  });

  it('.ci/run installs it when the machine has an older one', () => {
    expect(readFileSync(join(ROOT, '.ci/run'), 'utf8')).toMatch(new RegExp(`^NODE_MAJOR=${NODE_MAJOR}$`, 'm'));
  });
});
