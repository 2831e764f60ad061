import { SECURE_SETTINGS_MAX_AGE_MS, ssoRealms } from '../../functions/app/sso-realms';
import { ConfigurationError, loadConfig } from '../../functions/config';
import { MaxAgeCache } from '../../functions/max-age-cache';
import { oidcRealmsOf } from '../../functions/security/authc/oidc/oidc-realm';
import { FixedClock } from '../support/clock';
import { useFakeSecretsManager } from '../support/fake-secrets-manager';
import { oidcRealmSettings, qualifiedSettings } from '../support/realm-settings';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:es-secure-settings-AbCdEf';
const P = 'xpack.security.authc.realms.oidc.oidc1.';
const SETTINGS = qualifiedSettings('oidc', 'oidc1', oidcRealmSettings());

describe('the secure settings of a deployed OpenID Connect realm, from Secrets Manager', () => {
  const secrets: Record<string, string> = {};
  const secretsManager = useFakeSecretsManager(secrets);

  it('OIDC-S-1: read at the first SSO request, kept for the maximum age, then read again; a missing secret is refused', async () => {
    const clock = new FixedClock();
    const config = loadConfig({
      AWS_REGION: 'us-east-1',
      ES_SETTINGS: JSON.stringify(SETTINGS),
      ES_SECURE_SETTINGS_SECRET_ARN: SECRET_ARN,
    });
    const realms = ssoRealms(oidcRealmsOf, config, clock.now);
    expect(secretsManager.reads).toEqual([]);
    secrets[SECRET_ARN] = JSON.stringify({});
    await expect(realms()).rejects.toThrow(
      new ConfigurationError(`The configuration setting [${P}rp.client_secret] is required`),
    );
    secrets[SECRET_ARN] = JSON.stringify({ [`${P}rp.client_secret`]: 'first-secret' });
    clock.advance(SECURE_SETTINGS_MAX_AGE_MS);
    const [first] = await realms();
    expect(first?.config.clientSecret).toBe('first-secret');
    await realms();
    expect(secretsManager.reads).toHaveLength(2);
    secrets[SECRET_ARN] = JSON.stringify({ [`${P}rp.client_secret`]: 'rotated-secret' });
    clock.advance(SECURE_SETTINGS_MAX_AGE_MS);
    const [rotated] = await realms();
    expect({ reads: secretsManager.reads.length, secret: rotated?.config.clientSecret }).toEqual({
      reads: 3,
      secret: 'rotated-secret',
    });
  });

  it('a failed load is not kept', async () => {
    const clock = new FixedClock();
    let calls = 0;
    const cache = new MaxAgeCache({
      read: async () => (++calls === 1 ? Promise.reject(new Error('down')) : 'value'),
      maxAgeMs: 1000,
      clock: clock.now,
    });
    await expect(cache.get()).rejects.toThrow('down');
    expect(await cache.get()).toBe('value');
    expect(await cache.get()).toBe('value');
    expect(calls).toBe(2);
  });
});
