/**
 * The deploy-time settings: CDK context only (`-c key=value`, `cdk.json`), read by `cdk synth`
 * (infra/context-settings.ts). Part of the one table of settings.ts; a leaf module like it.
 */

import { concurrencyByFunction, flag, type Setting, text, textLike, wholeNumber } from './setting-types';

const count = (context: string, fallback: string, description: string) =>
  ({ context, type: wholeNumber(1), default: fallback, description }) as const;

export const DEPLOY_SETTINGS = {
  stage: {
    context: 'stage',
    // A stage name fits an API Gateway stage, a stack name and a dashboard name alike.
    type: textLike(/^[A-Za-z][A-Za-z0-9-]{0,31}$/, 'a letter followed by up to 31 letters, digits or hyphens'),
    default: 'prod',
    description:
      'A second deployment per account: the stage names the stack (`EsTokenService-dev`), the API stage, the metrics and the alarms.',
  },
  stackName: {
    context: 'stackName',
    type: textLike(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a letter followed by up to 127 letters, digits or hyphens'),
    defaultText: '`EsTokenService`, `EsTokenService-<stage>`',
    description: 'The stack name, in place of the one the stage gives.',
  },
  tracing: {
    context: 'tracing',
    type: flag,
    default: 'false',
    description: 'X-Ray on the stage and the functions (Powertools Tracer).',
  },
  reservedConcurrency: {
    context: 'reservedConcurrency',
    type: concurrencyByFunction,
    description: 'Concurrency reserved per function id; a function not named has none.',
  },
  alarmEmail: {
    context: 'alarmEmail',
    type: textLike(/^[^@\s]+@[^@\s]+$/, 'an e-mail address'),
    description: 'Mail every alarm to this address (an encrypted SNS topic and an e-mail subscription its owner confirms).',
  },
  failedAuthenticationsAlarm: count(
    'failedAuthenticationsAlarm',
    '100',
    'Failed authentications (401) in five minutes above which an alarm goes off.',
  ),
  latencyAlarmMs: count(
    'latencyAlarmMs',
    '3000',
    'API p99 latency, in ms, sustained for fifteen minutes, that sets off an alarm.',
  ),
  api5xxAlarm: count('api5xxAlarm', '5', 'API 5XX answers in five minutes above which an alarm goes off.'),
  throttleRateLimit: count('throttleRateLimit', '1000', 'Stage throttling of the whole API: requests per second.'),
  throttleBurstLimit: count('throttleBurstLimit', '2000', 'Stage throttling of the whole API: burst.'),
  webAclArn: {
    context: 'webAclArn',
    type: textLike(/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/.+$/, 'the ARN of a regional WAFv2 web ACL'),
    description: 'A regional WAFv2 web ACL to attach to the API stage.',
  },
  esPathConf: {
    context: 'esPathConf',
    type: text,
    description:
      'A config directory, read at synth: its `users`, `users_roles` and `roles.yml` ship parsed in a layer (the file realm, deployed), and so do the SSO realms of its `elasticsearch.yml`, checked, with the files they name; their secrets go in the `SecureSettings` secret ([single sign-on](single-sign-on.md)).',
  },
  auditEnabled: {
    context: 'auditEnabled',
    type: flag,
    defaultText: "`false`, or `esPathConf`'s `xpack.security.audit.enabled`",
    description:
      "`xpack.security.audit.enabled` deployed: the functions write Elasticsearch's audit events, forwarded to an audit log group of their own ([audit log](operations.md#audit-log)); the other `xpack.security.audit.*` settings come from `esPathConf`'s `elasticsearch.yml`.",
  },
  auditLogRetention: {
    context: 'auditLogRetention',
    type: wholeNumber(1, 3653),
    default: '365',
    description: "Days the audit log group keeps its events (one of CloudWatch Logs' retention periods).",
  },
  samLocal: {
    context: 'samLocal',
    type: flag,
    default: 'false',
    description:
      'Declare the variables `sam local` overrides (`DYNAMODB_ENDPOINT`, `ELASTIC_PASSWORD`); pointless, though harmless, in AWS.',
  },
} as const satisfies Record<string, Setting>;
