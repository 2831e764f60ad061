import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../functions/clock';
import { DynamoDbSweepJobStore } from '../../functions/store/dynamodb-sweep-jobs';
import { InvalidationSweep, type SweepOptions } from '../../functions/tokens/invalidation-sweep';
import type { SweepJobStore } from '../../functions/tokens/sweep-jobs';
import { type SweepContinuation, type SweepEvents, SweepRunner } from '../../functions/tokens/sweep-runner';
import type { InvalidationStore } from '../../functions/tokens/token-store';
import { InProcessSweepContinuation } from '../../infra/local/in-process-continuation';

/** A sweep with the production shape and test-sized settings: no settle wait, no backoff pauses. */
export function testSweep(store: InvalidationStore, overrides: Partial<SweepOptions> = {}): InvalidationSweep {
  return new InvalidationSweep({
    store,
    budgetMs: 60_000,
    drainMs: 1_000,
    settleMs: 0,
    catchUpWindowMs: 10_000,
    concurrency: 32,
    pageSize: 100,
    attempts: 5,
    elapsed: () => performance.now(),
    pause: async () => undefined,
    ...overrides,
  });
}

/** What the runner told the operator, for tests to read. */
export class RecordedSweepEvents implements SweepEvents {
  readonly resumedJobs: string[] = [];
  readonly gaveUpJobs: string[] = [];
  readonly handOffFailures: unknown[] = [];
  resumed = (job: { operation: string }) => void this.resumedJobs.push(job.operation);
  gaveUp = (job: { operation: string }) => void this.gaveUpJobs.push(job.operation);
  handOffFailed = (_job: unknown, error: unknown) => void this.handOffFailures.push(error);
}

export interface TestSweeps {
  readonly sweeps: SweepRunner;
  readonly continuation: InProcessSweepContinuation;
  readonly jobs: SweepJobStore;
  readonly events: RecordedSweepEvents;
}

/**
 * The durable sweep as the local API runs it: job records in the tokens table (through `documents`, which a
 * test may fault), the in-process continuation, unless the test gives its own.
 */
export function testSweeps(options: {
  store: InvalidationStore;
  documents: DynamoDBDocumentClient;
  tableName: string;
  clock: Clock;
  sweep?: Partial<SweepOptions>;
  continuation?: (continuation: InProcessSweepContinuation) => SweepContinuation;
}): TestSweeps {
  const sweep = testSweep(options.store, options.sweep);
  const jobs = new DynamoDbSweepJobStore(options.documents, options.tableName);
  const events = new RecordedSweepEvents();
  let continuation: InProcessSweepContinuation | undefined;
  const sweeps = new SweepRunner({
    sweep,
    store: options.store,
    jobs,
    continuation: (runner) => {
      continuation = new InProcessSweepContinuation(runner, (error) => {
        throw error;
      });
      return options.continuation?.(continuation) ?? continuation;
    },
    clock: options.clock,
    leaseMs: 60_000,
    elapsed: options.sweep?.elapsed ?? (() => performance.now()),
    events,
  });
  if (continuation === undefined) throw new Error('the runner builds its continuation when it is built');
  return { sweeps, continuation, jobs, events };
}
