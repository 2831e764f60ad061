import { loadConfig } from '../../functions/config';
import { createService } from '../../functions/service';
import { FixedClock, MINUTE, SECOND } from '../support/clock';
import { TEST_REGION, testEndpoint } from '../support/dynamodb';
import { useFakeSecretsManager } from '../support/fake-secrets-manager';

/**
 * Deployed, the `elastic` password is the stack's generated secret (ELASTIC_PASSWORD_SECRET_ARN), read
 * through the real Secrets Manager client; here it talks to a local stand-in through the SDK's own
 * endpoint variable.
 */
describe('the elastic password from Secrets Manager', () => {
  const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:elastic-password-AbCdEf';
  const secrets: Record<string, string> = {};
  const secretsManager = useFakeSecretsManager(secrets);

  it('wins over ELASTIC_PASSWORD, is read once within its maximum age, and a failed first read is retried', async () => {
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

  it('is read again once older than ELASTIC_PASSWORD_MAX_AGE: a changed password is then the only one accepted (rotation)', async () => {
    // Prepare
    const arn = `${SECRET_ARN}-rotated`;
    secrets[arn] = 'the-old-password';
    const clock = new FixedClock();
    const { realms } = createService(
      loadConfig({
        AWS_REGION: TEST_REGION,
        DYNAMODB_ENDPOINT: testEndpoint(),
        ELASTIC_PASSWORD_SECRET_ARN: arn,
        ELASTIC_PASSWORD_MAX_AGE: '2m',
      }),
      { clock: clock.now },
    );
    await expect(realms.authenticate('elastic', 'the-old-password')).resolves.toMatchObject({ username: 'elastic' });

    // Act: the operator puts a new value; within the maximum age the old one still works.
    secrets[arn] = 'the-new-password';
    clock.advance(2 * MINUTE - SECOND);
    await expect(realms.authenticate('elastic', 'the-old-password')).resolves.toMatchObject({ username: 'elastic' });
    clock.advance(SECOND);

    // Assess
    await expect(realms.authenticate('elastic', 'the-old-password')).resolves.toBeUndefined();
    await expect(realms.authenticate('elastic', 'the-new-password')).resolves.toMatchObject({ username: 'elastic' });
    expect(secretsManager.reads.filter((id) => id === arn)).toHaveLength(2);
  });

  it('keeps the password it read when the secret cannot be read again, and reads it again shortly after', async () => {
    // Prepare
    const arn = `${SECRET_ARN}-outage`;
    secrets[arn] = 'the-password';
    const clock = new FixedClock();
    const { realms } = createService(
      loadConfig({ AWS_REGION: TEST_REGION, DYNAMODB_ENDPOINT: testEndpoint(), ELASTIC_PASSWORD_SECRET_ARN: arn }),
      { clock: clock.now },
    );
    await expect(realms.authenticate('elastic', 'the-password')).resolves.toMatchObject({ username: 'elastic' });

    // Act: past the default maximum age (5m), Secrets Manager no longer has it.
    delete secrets[arn];
    clock.advance(5 * MINUTE);
    await expect(realms.authenticate('elastic', 'the-password')).resolves.toMatchObject({ username: 'elastic' });
    secrets[arn] = 'the-next-password';
    clock.advance(10 * SECOND);

    // Assess
    await expect(realms.authenticate('elastic', 'the-next-password')).resolves.toMatchObject({ username: 'elastic' });
  });

  it('never reads the secret for another user name', async () => {
    const { realms } = createService(
      loadConfig({
        AWS_REGION: TEST_REGION,
        DYNAMODB_ENDPOINT: testEndpoint(),
        ELASTIC_PASSWORD_SECRET_ARN: `${SECRET_ARN}-unread`,
      }),
    );
    await realms.authenticate('not-elastic', 'whatever-password').catch(() => undefined);
    expect(secretsManager.reads).not.toContain(`${SECRET_ARN}-unread`);
  });
});
