import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionPairs } from '../tokens/session-pairs';
import type { CreationWindow } from '../tokens/token-store';
import { guardStorage } from './storage-guard';
import { TOKEN_INDEXES } from './tables';
import { ATTR, samlSessionKeyOf } from './token-items';

const INDEX = TOKEN_INDEXES.samlSession;

/**
 * The SAML session index's Query (tables.ts): one partition, the session's, keys only. A session has a pair per
 * login and its refreshes, so a page or two; the loop follows DynamoDB's pages all the same.
 */
export class DynamoDbSessionPairs implements SessionPairs {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async pairIdsOf(realm: string, session: Readonly<Record<string, string>>, window: CreationWindow): Promise<string[]> {
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await guardStorage('token', 'find SAML session pairs', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: INDEX.indexName,
            KeyConditionExpression: '#key = :key AND #createdAt BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#key': INDEX.partitionKey.name, '#createdAt': INDEX.sortKey.name },
            ExpressionAttributeValues: { ':key': samlSessionKeyOf(realm, session), ':from': window.from, ':to': window.to },
            ...(ExclusiveStartKey && { ExclusiveStartKey }),
          }),
        ),
      );
      ids.push(...(page.Items ?? []).map((item) => item[ATTR.id] as string));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return ids;
  }
}
