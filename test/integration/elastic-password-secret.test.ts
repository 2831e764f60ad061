import { loadConfig } from '../../functions/config';
import { createService } from '../../functions/service';
import { TEST_REGION, testEndpoint } from '../support/dynamodb';
import { type FakeSecretsManager, startFakeSecretsManager } from '../support/fake-secrets-manager';

/**
 * Deployed, the `elastic` password is the stack's generated secret (ELASTIC_PASSWORD_SECRET_ARN), read
 * through the real Secrets Manager client; here it talks to a local stand-in through the SDK's own
 * endpoint variable.
 */
describe('the elastic password from Secrets Manager', () => {
  const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:elastic-password-AbCdEf';
  const secrets: Record<string, string> = {};
  const saved = { ...process.env };
  let secretsManager: FakeSecretsManager;

  beforeAll(async () => {
    secretsManager = await startFakeSecretsManager(secrets);
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await secretsManager.close();
  });

  it('wins over ELASTIC_PASSWORD, is read once per process, and a failed read is retried', async () => {
    // Prepare: the secret does not exist yet, as if the function could not reach it.
    const { realms } = createService(
      loadConfig({
        AWS_REGION: TEST_REGION,
        DYNAMODB_ENDPOINT: testEndpoint(),
        ELASTIC_PASSWORD: 'the-environment-password',
        ELASTIC_PASSWORD_SECRET_ARN: SECRET_ARN,
      }),
    );

    // Act, Assess
    await expect(realms.authenticate('elastic', 'the-secret-password')).rejects.toThrow();
    secrets[SECRET_ARN] = 'the-secret-password';
    await expect(realms.authenticate('elastic', 'the-secret-password')).resolves.toMatchObject({ username: 'elastic' });
    await expect(realms.authenticate('elastic', 'the-environment-password')).resolves.toBeUndefined();
    await expect(realms.authenticate('elastic', 'the-secret-password')).resolves.toMatchObject({ username: 'elastic' });
    expect(secretsManager.reads).toEqual([SECRET_ARN]);
  });
});
