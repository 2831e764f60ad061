import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { AttributeType, TableDefinition } from '../functions/store/tables';
import type { TableAccess } from './routes';

const ATTRIBUTE_TYPES: Record<AttributeType, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

/** A DynamoDB table built from its shared definition (functions/store/tables.ts). */
export function tableFrom(scope: Construct, id: string, definition: TableDefinition): dynamodb.Table {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: { name: definition.partitionKey.name, type: ATTRIBUTE_TYPES[definition.partitionKey.type] },
    ...(definition.sortKey && { sortKey: { name: definition.sortKey.name, type: ATTRIBUTE_TYPES[definition.sortKey.type] } }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: definition.timeToLiveAttribute,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    // Tokens and users outlive the stack: `cdk destroy` leaves the tables, and nothing deletes them by accident.
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey.name, type: ATTRIBUTE_TYPES[index.partitionKey.type] },
      sortKey: { name: index.sortKey.name, type: ATTRIBUTE_TYPES[index.sortKey.type] },
      ...(index.projectedAttributes.length === 0
        ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
        : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projectedAttributes] }),
    });
  }
  return table;
}

/**
 * The IAM statements for a function's declared access to one table: named actions on the table's ARN,
 * and Query on each index by name. CDK's `grant*` helpers would add `index/*` and actions nobody declared.
 */
export function tableAccessStatements(
  table: dynamodb.ITable,
  definition: TableDefinition,
  access: TableAccess,
): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  if (access.items?.length) {
    statements.push(new iam.PolicyStatement({ actions: access.items.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }));
  }
  const { queryIndexes } = access;
  const queried = definition.indexes.filter(
    (index) => queryIndexes === true || (Array.isArray(queryIndexes) && queryIndexes.includes(index.indexName)),
  );
  if (queried.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: queried.map((index) => `${table.tableArn}/index/${index.indexName}`),
      }),
    );
  }
  return statements;
}
