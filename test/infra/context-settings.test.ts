import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { SETTINGS } from '../../functions/settings';
import { readContextSettings } from '../../infra/context-settings';
import { DEFAULT_ALARM_THRESHOLDS } from '../../infra/monitoring';
import { DEFAULT_STAGE, DEFAULT_THROTTLE } from '../../infra/token-service-stack';

const ROOT = join(__dirname, '..', '..');
const read = (context: Record<string, unknown>) => readContextSettings(new App({ context }));

describe('CDK context, read against the settings table', () => {
  it('gives every key its default when unset, the defaults the stack falls back on', () => {
    const settings = read({});
    expect(settings).toMatchObject({
      stage: DEFAULT_STAGE,
      tracing: false,
      samLocal: false,
      accessTokenTimeoutMs: 1_200_000,
      indexShards: 16,
      invalidationBudgetMs: 20_000,
      elasticPasswordMaxAgeMs: 300_000,
      throttleRateLimit: DEFAULT_THROTTLE.rateLimit,
      throttleBurstLimit: DEFAULT_THROTTLE.burstLimit,
      failedAuthenticationsAlarm: DEFAULT_ALARM_THRESHOLDS.failedAuthenticationsPerFiveMinutes,
      latencyAlarmMs: DEFAULT_ALARM_THRESHOLDS.apiP99LatencyMs,
      api5xxAlarm: DEFAULT_ALARM_THRESHOLDS.api5xxPerFiveMinutes,
    });
    for (const key of ['stackName', 'reservedConcurrency', 'alarmEmail', 'webAclArn', 'esPathConf'] as const) {
      expect(settings[key]).toBeUndefined();
    }
  });

  it('reads the CLI strings and cdk.json values alike', () => {
    expect(read({ tokenTimeout: '30m', indexShards: 8, tracing: true, reservedConcurrency: { getToken: 5 } })).toMatchObject({
      accessTokenTimeoutMs: 1_800_000,
      indexShards: 8,
      tracing: true,
      reservedConcurrency: { getToken: 5 },
    });
  });

  it.each([
    ['tokenTimeout', '2h', 'context tokenTimeout: [2h] must be a time value from 1s to 1h'],
    ['tokenTimeout', '1.5h', 'context tokenTimeout: [1.5h] must be a time value from 1s to 1h'],
    ['indexShards', '0', 'context indexShards: [0] must be a whole number from 1 to 256'],
    ['invalidationBudget', '29s', 'context invalidationBudget: [29s] must be a time value up to 25s'],
    ['elasticPasswordMaxAge', '2h', 'context elasticPasswordMaxAge: [2h] must be a time value up to 1h'],
    ['throttleRateLimit', '0', 'context throttleRateLimit: [0] must be a whole number of at least 1'],
    ['tracing', 'yes', 'context tracing: [yes] must be true or false'],
    ['alarmEmail', 'ops', 'context alarmEmail: [ops] must be an e-mail address'],
    ['stackName', '1st', 'context stackName: [1st] must be a letter followed by up to 127 letters, digits or hyphens'],
    ['tokentimeout', '30m', 'context tokentimeout: no such setting; context keys are case-sensitive: did you mean tokenTimeout?'],
  ])('refuses -c %s=%s naming the key as typed and what it allows', (key, value, message) => {
    expect(() => read({ [key]: value })).toThrow(message);
  });

  it('has a context key for every setting the stack is configured with, each one in the table once', () => {
    const keys = Object.values(SETTINGS).flatMap((s) => ('context' in s ? [s.context] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['stage', 'tokenTimeout', 'esPathConf', 'reservedConcurrency', 'samLocal']));
  });
});

describe('cdk synth with a bad context value (the app entry of cdk.json, as the CDK CLI runs it)', () => {
  const app = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { app: string }).app;

  /** The app with context as the CLI hands it over (CDK_CONTEXT_JSON), into an output directory of its own. */
  async function synth(context: Record<string, string>) {
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-context-'));
    try {
      await promisify(execFile)('sh', ['-c', app], {
        cwd: ROOT,
        env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
      });
      return { code: 0, stderr: '' };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  it('fails with exit code 1 and one line naming the key as typed and its range, no stack trace', async () => {
    const [outOfRange, mistyped, unknownFunction] = await Promise.all([
      synth({ tokenTimeout: '2h' }),
      synth({ IndexShards: '8' }),
      synth({ reservedConcurrency: 'getTokens=50' }),
    ]);
    expect(unknownFunction.code).toBe(1);
    expect(unknownFunction.stderr).toMatch(
      /^error: context reservedConcurrency: names unknown functions: getTokens \(the functions are (?:[a-zA-Z]+, )*getToken, [^\n]*\)\n$/,
    );
    expect(outOfRange).toEqual({ code: 1, stderr: 'error: context tokenTimeout: [2h] must be a time value from 1s to 1h\n' });
    expect(mistyped).toEqual({
      code: 1,
      stderr: 'error: context IndexShards: no such setting; context keys are case-sensitive: did you mean indexShards?\n',
    });
  });
});
