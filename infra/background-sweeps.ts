import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ResumeSweepsEvent } from '../functions/aws/lambda-sweep-continuation';

/** Lambda's async retries of a failed sweep run, before its event goes to the failure queue. */
const SWEEP_RETRY_ATTEMPTS = 2;
/** A continuation event older than this goes to the failure queue unrun (throttling, a long outage). */
const SWEEP_MAX_EVENT_AGE = Duration.hours(6);
/** How often jobs whose runner stopped reporting are looked for; their lease is 60 s. */
const SWEEP_RESUME_RATE = Duration.minutes(5);

/**
 * The background side of realm- and user-wide invalidation: nothing a sweep hands on may vanish.
 * - Each asynchronous self-invocation (a sweep's continuation) gets bounded retries and a maximum event age,
 *   and an on-failure destination: an encrypted SQS queue keeping failed events 14 days for a redrive
 *   (docs/deploy.md, "Background sweeps").
 * - A schedule invokes the function to hand on every job whose runner stopped reporting (a crash, a
 *   timeout, a continuation that never arrived): the job records make the resumption exact.
 */
export class BackgroundSweeps extends Construct {
  /** Failed continuation events; alarms watch its depth. */
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the sweep continuations; it is redriven by hand.',
    });
  }

  /** Bounded retries, the failure destination and the resumer's schedule for one function that invokes itself. */
  attach(name: string, fn: lambda.Function): void {
    fn.configureAsyncInvoke({
      onFailure: new destinations.SqsDestination(this.failures),
      retryAttempts: SWEEP_RETRY_ATTEMPTS,
      maxEventAge: SWEEP_MAX_EVENT_AGE,
    });
    const event: ResumeSweepsEvent = { resumeInvalidationSweeps: true };
    new events.Rule(this, `${name}Resumer`, {
      description: 'Hands on invalidation sweeps whose runner stopped reporting',
      schedule: events.Schedule.rate(SWEEP_RESUME_RATE),
      targets: [new targets.LambdaFunction(fn, { event: events.RuleTargetInput.fromObject(event), retryAttempts: 2 })],
    });
  }
}
