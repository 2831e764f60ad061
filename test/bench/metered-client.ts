import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The DynamoDB API operation behind each document-client command the service and the floors send. */
const OPERATIONS: Record<string, string> = {
  GetCommand: 'GetItem',
  PutCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  TransactWriteCommand: 'TransactWriteItems',
  TransactGetCommand: 'TransactGetItems',
  BatchWriteCommand: 'BatchWriteItem',
  BatchGetCommand: 'BatchGetItem',
};

const READS = new Set(['GetItem', 'Query', 'Scan', 'TransactGetItems', 'BatchGetItem']);

export function operationOf(commandName: string): string {
  return OPERATIONS[commandName] ?? commandName;
}

/** Capacity units by where they were consumed: `table` and each index by name. */
export type CapacityByTarget = Record<string, number>;

interface ConsumedCapacity {
  readonly CapacityUnits?: number;
  readonly Table?: { readonly CapacityUnits?: number };
  readonly GlobalSecondaryIndexes?: Record<string, { readonly CapacityUnits?: number }>;
  readonly LocalSecondaryIndexes?: Record<string, { readonly CapacityUnits?: number }>;
}

/** What a stretch of work cost DynamoDB: calls by API operation, read and write units by table and index. */
export class Meter {
  readonly calls: Record<string, number> = {};
  readonly read: CapacityByTarget = {};
  readonly write: CapacityByTarget = {};

  count(operation: string): void {
    this.calls[operation] = (this.calls[operation] ?? 0) + 1;
  }

  add(operation: string, consumed: ConsumedCapacity | readonly ConsumedCapacity[] | undefined): void {
    const units = READS.has(operation) ? this.read : this.write;
    for (const entry of Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) {
      const { Table, GlobalSecondaryIndexes = {}, LocalSecondaryIndexes = {} } = entry as ConsumedCapacity;
      // Without a per-table breakdown the total is the table's (DynamoDB omits it for table-only calls).
      addTo(units, 'table', Table?.CapacityUnits ?? (entry as ConsumedCapacity).CapacityUnits ?? 0);
      for (const [index, value] of Object.entries({ ...GlobalSecondaryIndexes, ...LocalSecondaryIndexes })) {
        addTo(units, index, value.CapacityUnits ?? 0);
      }
    }
  }
}

function addTo(units: CapacityByTarget, target: string, value: number): void {
  if (value !== 0) units[target] = (units[target] ?? 0) + value;
}

/** A command as it was sent: the document client's input, before marshalling. */
export interface RecordedCommand {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/**
 * A real document client that asks DynamoDB for `ReturnConsumedCapacity: INDEXES` on every call and adds
 * up what the responses report, and that can record the commands sent. The service's own adapter and the
 * floors use the same wrapper, so the (tiny) cost of the extra response field falls on both alike; the
 * production code is not changed.
 */
export class MeteredClient {
  /** Where the next calls are counted; swapped between the service's and the floor's stretches of work. */
  meter = new Meter();
  /**
   * Sees each command before it is sent (capturing the service's calls as the floor's templates). It gets
   * the live input: a recorder that keeps one clones it.
   */
  recorder: ((command: RecordedCommand) => void) | undefined;
  readonly client: DynamoDBDocumentClient;

  constructor(base: DynamoDBDocumentClient) {
    const client = Object.create(base) as DynamoDBDocumentClient;
    client.send = (async (command: { input: Record<string, unknown> }) => {
      const operation = operationOf(command.constructor.name);
      command.input.ReturnConsumedCapacity = 'INDEXES';
      this.recorder?.({ name: command.constructor.name, input: command.input });
      const meter = this.meter;
      meter.count(operation);
      const output = (await base.send(command as never)) as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
      meter.add(operation, output.ConsumedCapacity);
      return output;
    }) as DynamoDBDocumentClient['send'];
    this.client = client;
  }

  /** Runs `work` with its calls recorded, and returns them in the order they were sent. */
  async record(work: () => Promise<unknown>): Promise<RecordedCommand[]> {
    const recorded: RecordedCommand[] = [];
    this.recorder = ({ name, input }) => recorded.push({ name, input: structuredClone(input) });
    try {
      await work();
    } finally {
      this.recorder = undefined;
    }
    return recorded;
  }
}
