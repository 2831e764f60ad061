import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { lifetimeOf, type SweepJob } from '../tokens/invalidation-sweep';
import type { ClaimOptions, ClaimRefusal, Lease, StoredSweepJob, SweepJobStore } from '../tokens/sweep-jobs';
import { batchGetItems } from './batch-get';
import { currentJob } from './legacy-layout';
import { guardStorage, storageFailure } from './storage-guard';

/*
 * Sweep jobs live in the tokens table beside the pairs (ids with `#`, which a pair id never has):
 *
 *   id = "#sweep#<operation>"  job = {scope, requestedAt, cursors, ...}  status  owner  leaseUntil  watermarked
 *
 * The scope is kept as the sweep needs it (tokens/scope-digest.ts): the realm's name, the user's digest.
 *   id = "#sweeps"             open = {<operation>, ...}   (a string set: the jobs not yet done or failed)
 *
 * The open list is one small item, read strongly consistently by the resumer; a job is added to it in the
 * same transaction that creates the record, and taken off in the one that ends it, so no open job is ever
 * missing from it. Records expire by TTL a refresh lifetime after their request (the job's own, 24 h for
 * records of before): by then every pair they cover has.
 */
const REGISTRY = '#sweeps';
const recordId = (jobId: string) => `#sweep#${jobId}`;
const TTL_MARGIN_MS = 60 * 60 * 1_000;

const NAMES = { '#job': 'job', '#status': 'status', '#owner': 'owner', '#lease': 'leaseUntil' };

interface SweepJobItem {
  id: string;
  job: SweepJob;
  status: StoredSweepJob['status'];
  owner?: string;
  leaseUntil: number;
  watermarked?: boolean;
  expiresAt: number;
}

function stored(item: SweepJobItem): StoredSweepJob {
  // A record left open by the previous version names its user; it is read in the current form.
  return { job: currentJob(item.job), status: item.status, watermarked: item.watermarked === true, leaseUntil: item.leaseUntil };
}

export class DynamoDbSweepJobStore implements SweepJobStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: SweepJob, lease: Lease): Promise<void> {
    const item: SweepJobItem = {
      id: recordId(job.operation),
      job,
      status: 'running',
      owner: lease.owner,
      leaseUntil: lease.until,
      expiresAt: Math.ceil((job.requestedAt + lifetimeOf(job) + TTL_MARGIN_MS) / 1000),
    };
    await this.send('record invalidation job', () =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [{ Put: { TableName: this.tableName, Item: item } }, this.registryChange('ADD', job.operation)],
        }),
      ),
    );
  }

  async markWatermarked(job: SweepJob, owner: string): Promise<void> {
    await this.update(job.operation, owner, 'SET watermarked = :true', { ':true': true });
  }

  async claim(jobId: string, lease: Lease, now: number, options: ClaimOptions = {}): Promise<StoredSweepJob | ClaimRefusal> {
    const statuses = options.failed ? '#status IN (:running, :failed)' : '#status = :running';
    const free = options.takeOver ? '' : ' AND (#lease < :now OR #owner = :owner)';
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: recordId(jobId) },
          UpdateExpression: 'SET #owner = :owner, #lease = :until, #status = :running',
          ConditionExpression: `attribute_exists(id) AND ${statuses}${free}`,
          ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner', '#lease': 'leaseUntil' },
          ExpressionAttributeValues: {
            ':owner': lease.owner,
            ':until': lease.until,
            ':running': 'running',
            ...(options.failed && { ':failed': 'failed' }),
            ...(!options.takeOver && { ':now': now }),
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const old = Attributes as SweepJobItem;
      // A job that gave up and is redriven is open again.
      if (old.status === 'failed')
        await this.send('reopen invalidation job', () => this.client.send(this.registryUpdate('ADD', jobId)));
      return stored(old);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw storageFailure('token', 'claim invalidation job', error);
      }
      const status = error.Item?.status?.S;
      return { refused: status === 'failed' || status === 'running' ? (status === 'failed' ? 'failed' : 'held') : 'done' };
    }
  }

  async save(job: SweepJob, lease: Lease): Promise<void> {
    await this.update(job.operation, lease.owner, 'SET #job = :job, #lease = :until', { ':job': job, ':until': lease.until });
  }

  async release(job: SweepJob, owner: string): Promise<void> {
    await this.update(job.operation, owner, 'SET #job = :job, #lease = :zero REMOVE #owner', { ':job': job, ':zero': 0 });
  }

  async finish(job: SweepJob, owner: string, status: 'done' | 'failed'): Promise<void> {
    await this.send('end invalidation job', () =>
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { id: recordId(job.operation) },
                UpdateExpression: 'SET #job = :job, #status = :status, #lease = :zero REMOVE #owner',
                ConditionExpression: '#owner = :owner',
                ExpressionAttributeNames: NAMES,
                ExpressionAttributeValues: { ':job': job, ':status': status, ':zero': 0, ':owner': owner },
              },
            },
            this.registryChange('DELETE', job.operation),
          ],
        }),
      ),
    );
  }

  async open(): Promise<StoredSweepJob[]> {
    const { Item } = await this.send('list invalidation jobs', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { id: REGISTRY }, ConsistentRead: true })),
    );
    const ids = [...((Item?.open as Set<string> | undefined) ?? [])];
    if (ids.length === 0) return [];
    const items = await batchGetItems({
      client: this.client,
      tableName: this.tableName,
      keyName: 'id',
      keys: ids.map(recordId),
      store: 'token',
      operation: 'read invalidation jobs',
    });
    return (items as unknown as SweepJobItem[]).map(stored);
  }

  /** An update of the record, if `owner` still holds it; a job taken over meanwhile is left to its new owner. */
  private async update(jobId: string, owner: string, expression: string, values: Record<string, unknown>): Promise<void> {
    const used = Object.fromEntries(Object.entries(NAMES).filter(([alias]) => expression.includes(alias) || alias === '#owner'));
    await this.send('save invalidation job', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: recordId(jobId) },
          UpdateExpression: expression,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: used,
          ExpressionAttributeValues: { ...values, ':owner': owner },
        }),
      ),
    );
  }

  private registryUpdate(action: 'ADD' | 'DELETE', jobId: string) {
    return new UpdateCommand(this.registryChange(action, jobId).Update);
  }

  private registryChange(action: 'ADD' | 'DELETE', jobId: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: { id: REGISTRY },
        UpdateExpression: `${action} #open :job`,
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':job': new Set([jobId]) },
      },
    };
  }

  /** Including a failed ownership condition: the caller treats every failure to save alike. */
  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return guardStorage('token', operation, call);
  }
}
