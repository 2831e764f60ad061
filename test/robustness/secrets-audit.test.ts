import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeToken, newPairId, newSecret } from '../../functions/tokens/token-string';
import { auditSecrets, keepAuditLogs, SecretIndex } from '../support/secrets-audit';

/**
 * The secrets audit that runs after the whole suite (global-teardown.ts) is only as good as its search:
 * these cases show it finds each spelling of a secret it is meant to find, and stays quiet on what the
 * service stores by design (pair ids, hashes, sealed successors).
 */
describe('the secrets audit', () => {
  const secret = newSecret();
  const token = encodeToken('refresh', newPairId(), secret);
  const index = new SecretIndex([
    { kind: 'token', value: token },
    { kind: 'password', value: 'a "quoted" password' },
  ]);

  it('finds an issued token inside JSON, or glued to other characters of its alphabet', () => {
    expect(index.scan('log', `{"message":"x","token":"${token}"}`)).toEqual([{ where: 'log', what: 'a token the API issued' }]);
    expect(index.scan('log', `prefix${token}suffix`)).toContainEqual({ where: 'log', what: 'a token the API issued' });
  });

  it("finds a token's secret in base64url, base64 and hex", () => {
    for (const [encoding, spelling] of [
      ['base64url', secret.toString('base64url')],
      ['base64', secret.toString('base64')],
      ['hex', secret.toString('hex')],
    ]) {
      expect(index.scan('table', `{"s":"x/${spelling}"}`)).toContainEqual({
        where: 'table',
        what: `the secret of an issued token (${encoding})`,
      });
    }
  });

  it('finds a string shaped like a token even when no test recorded it', () => {
    const unrecorded = encodeToken('access', newPairId(), newSecret());
    expect(index.scan('log', `Bearer ${unrecorded}`)).toEqual([{ where: 'log', what: 'a string shaped like a token' }]);
  });

  it('finds a password, raw or JSON-escaped', () => {
    expect(index.scan('log', 'a "quoted" password')).toHaveLength(1);
    expect(index.scan('log', JSON.stringify({ p: 'a "quoted" password' }))).toHaveLength(1);
  });

  it('stays quiet on what is stored by design: a pair id, a hash, a longer base64url run', () => {
    const stored = JSON.stringify({
      id: newPairId(),
      accessHash: newSecret().toString('base64url').slice(0, 43),
      superseding: Buffer.concat([newSecret(), newSecret(), newSecret()]).toString('base64url'),
    });
    expect(index.scan('table', stored)).toEqual([]);
  });

  it("AUDIT-10: searches the audit logs the tests' services wrote, kept when their API closed", async () => {
    const run = mkdtempSync(join(tmpdir(), 'es-token-audit-'));
    const configDirectory = mkdtempSync(join(tmpdir(), 'es-config-'));
    mkdirSync(join(configDirectory, 'logs'));
    writeFileSync(join(configDirectory, 'logs', 'elasticsearch_audit.json'), `{"type":"audit", "user.name":"${token}"}\n`);
    writeFileSync(join(run, 'secrets-1.txt'), `${JSON.stringify({ kind: 'token', value: token })}\n`);
    const previous = process.env.TEST_AUDIT_DIR;
    process.env.TEST_AUDIT_DIR = run;
    try {
      keepAuditLogs(configDirectory);
    } finally {
      if (previous === undefined) delete process.env.TEST_AUDIT_DIR;
      else process.env.TEST_AUDIT_DIR = previous;
    }
    const { findings } = await auditSecrets(undefined, run);
    expect(findings).toEqual([{ where: `log audit-${process.pid}.txt, line 1`, what: 'a token the API issued' }]);
  });
});
