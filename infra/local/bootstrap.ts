import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createTableInput, type TableDefinition } from '../../functions/store/tables';

/** Creates a table from its shared definition unless it exists, and turns its TTL on. */
export async function ensureTable(client: DynamoDBClient, definition: TableDefinition, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
  } catch (error) {
    // A create whose reply outlasted the client's timeout is retried by the SDK, and finds its own table.
    if ((error as Error).name !== 'ResourceInUseException') throw error;
  }
  if (definition.timeToLiveAttribute !== undefined) {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  }
}
