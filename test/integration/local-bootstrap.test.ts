import { randomUUID } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { TOKEN_INDEXES, TOKENS_TABLE } from '../../functions/store/tables';
import { ensureTable } from '../../infra/local/bootstrap';
import { testClients } from '../support/dynamodb';

/** The local API's tables outlive a version: one made before an index existed gets it at the next start. */
describe('the local bootstrap', () => {
  it('SAML-I-4: adds the SAML session index to a tokens table made without it, and leaves a complete one alone', async () => {
    const { client } = testClients();
    const tableName = `tokens-${randomUUID()}`;
    const before = { ...TOKENS_TABLE, indexes: [TOKEN_INDEXES.realm, TOKEN_INDEXES.username] };
    await ensureTable(client, before, tableName);
    const indexNames = async () =>
      ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.GlobalSecondaryIndexes ?? [])
        .map((index) => index.IndexName)
        .sort();
    expect(await indexNames()).toEqual(['realm-index', 'username-index']);
    await ensureTable(client, TOKENS_TABLE, tableName);
    expect(await indexNames()).toEqual(['realm-index', 'saml-session-index', 'username-index']);
    await ensureTable(client, TOKENS_TABLE, tableName);
    expect(await indexNames()).toEqual(['realm-index', 'saml-session-index', 'username-index']);
  });
});
