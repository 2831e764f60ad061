import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AssertionUse, UsedAssertions } from '../security/authc/saml/assertion-use';
import { storageFailure } from './storage-guard';
import { TOKENS_TABLE } from './tables';

/*
 * Used SAML assertions live in the tokens table, one small item each, kept until the assertion expires:
 *
 *   id = "#used-assertion#<digest of issuer and assertion ID>"   expiresAt = <TTL, epoch seconds>
 *
 * The digest keeps the IdP's strings out of the table and the key short. Ids of pairs are base64url, without
 * `#`, and the other kinds of item have prefixes of their own, so no kind can collide with another. No index
 * key is written: the item is never read by a realm's or a user's invalidation. DynamoDB's TTL deletes items
 * late, so the condition lets a use overwrite an item whose time is past, as if it were gone.
 */
const ID = TOKENS_TABLE.partitionKey.name;
const EXPIRES_AT = TOKENS_TABLE.timeToLiveAttribute;

function usedAssertionId({ issuer, id }: AssertionUse): string {
  return `#used-assertion#${createHash('sha256').update(`${issuer}\0${id}`).digest('base64url')}`;
}

export class DynamoDbUsedAssertions implements UsedAssertions {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One conditional PutItem: it succeeds for the first use only, until the assertion has expired. */
  async firstUse(use: AssertionUse & { readonly keepUntil: number }, now: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [ID]: usedAssertionId(use), [EXPIRES_AT]: Math.ceil(use.keepUntil / 1000) },
          ConditionExpression: 'attribute_not_exists(#id) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#id': ID, '#expiresAt': EXPIRES_AT },
          ExpressionAttributeValues: { ':now': Math.floor(now / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw storageFailure('token', 'PutItem', error);
    }
  }
}
