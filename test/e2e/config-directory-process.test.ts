import { processTables, startNpmStart } from '../support/npm-start';

describe('npm start with ES_PATH_CONF naming a missing directory', () => {
  it('refuses to start, in one line and without a stack trace', async () => {
    const started = startNpmStart({ ES_PATH_CONF: '/nonexistent', ...processTables() });
    expect(await started.exited).toBe(1);
    const output = started.output();
    // Node's own warnings (the AWS SDK's about Node 20) aside, the process says one thing.
    expect(output.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
      'error: ES_PATH_CONF: [/nonexistent] is not a directory (it holds users, users_roles and roles.yml)',
    ]);
    expect(output).not.toMatch(/^\s+at /m);
  });
});
