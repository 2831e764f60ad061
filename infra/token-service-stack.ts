import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import {
  DEFAULT_ACCESS_TOKEN_TIMEOUT,
  DEFAULT_INDEX_SHARDS,
  DEFAULT_INVALIDATION_BUDGET,
  loadConfig,
  parseInvalidationBudget,
} from '../functions/config';
import { tableFrom } from './dynamodb-tables';
import { serviceFunction } from './lambda-functions';
import { serviceRestApi } from './rest-api';
import { FUNCTIONS, type FunctionDefinition, type HttpMethod, ROUTES } from './routes';
import { SSO_FUNCTIONS, ssoDeployment } from './sso-settings';
import { TABLES, type TableId } from './tables';

/** The functions and routes the stack serves: the shared route table, unless a test gives its own. */
export interface ServiceApi {
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  readonly routes: readonly { readonly method: HttpMethod; readonly path: string; readonly function: string }[];
}

export interface TokenServiceStackProps extends StackProps {
  /** GT-12: `xpack.security.authc.token.timeout`, e.g. `20m` (1s..1h). */
  readonly tokenTimeout?: string;
  /** Shards of the realm and username indexes (DESIGN §3), 1..256. */
  readonly indexShards?: number;
  /** How long a realm- or user-wide invalidation works before it answers, in ms (1000..25000). */
  readonly invalidationBudgetMs?: number;
  /** Stage throttling: steady requests per second and burst, for the whole API. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** How long the function and access logs are kept. */
  readonly logRetention?: logs.RetentionDays;
  /** An existing regional WAFv2 web ACL to put in front of the API. */
  readonly webAclArn?: string;
  /**
   * Declares the variables `sam local --env-vars` overrides (DYNAMODB_ENDPOINT, ELASTIC_PASSWORD):
   * sam only overrides variables the template declares, and a deployed stack has no use for them.
   */
  readonly samLocal?: boolean;
  readonly api?: ServiceApi;
  /** A directory whose elasticsearch.yml declares SSO realms (`-c esPathConf=...`), checked at synth. */
  readonly esPathConf?: string;
}

export const SERVICE_NAME = 'es-token-service';
export const METRICS_NAMESPACE = 'EsTokenService';
export const DEFAULT_THROTTLE = { rateLimit: 1000, burstLimit: 2000 } as const;

const pascalCase = (id: string) => `${id[0]?.toUpperCase()}${id.slice(1)}`;

/**
 * The deployed service: the tables, the `elastic` bootstrap secret, one Lambda function per API with the
 * grants its definition declares, and a regional REST API whose routes come from the shared route table.
 * Adding a function, a route or a table is an entry in `FUNCTIONS`, `ROUTES` or `TABLES`.
 */
export class TokenServiceStack extends Stack {
  readonly tables: Record<TableId, dynamodb.Table>;
  readonly elasticPassword: secretsmanager.Secret;
  readonly functions: Record<string, nodejs.NodejsFunction> = {};
  readonly api: apigateway.RestApi;

  constructor(scope: Construct, id: string, props: TokenServiceStackProps = {}) {
    super(scope, id, props);
    const { functions, routes } = props.api ?? { functions: FUNCTIONS, routes: ROUTES };
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    this.tables = Object.fromEntries(
      Object.entries(TABLES).map(([tableId, { definition }]) => [
        tableId,
        tableFrom(this, `${pascalCase(tableId)}Table`, definition),
      ]),
    ) as Record<TableId, dynamodb.Table>;

    this.elasticPassword = new secretsmanager.Secret(this, 'ElasticPassword', {
      description: `Password of the reserved elastic superuser of ${SERVICE_NAME} (generated at deploy)`,
      // No punctuation: the password goes into shells and Basic credentials as it is; 32 alphanumerics are ~190 bits.
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
    });
    Validations.of(this.elasticPassword).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The elastic password is a user credential its operator changes (put-secret-value); a rotation function would change it under its clients.',
    });

    const sso = ssoDeployment(this, props.esPathConf);
    const environment = { ...this.functionEnvironment(props), ...sso?.environment };
    for (const [functionId, definition] of Object.entries(functions)) {
      this.functions[functionId] = serviceFunction(this, pascalCase(functionId), {
        definition,
        environment,
        tables: this.tables,
        elasticPassword: this.elasticPassword,
        logRetention,
      });
    }

    for (const functionId of SSO_FUNCTIONS) if (this.functions[functionId]) sso?.grantRead(this.functions[functionId]);

    this.api = serviceRestApi(this, {
      name: SERVICE_NAME,
      functions: this.functions,
      routes,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      logRetention,
      webAclArn: props.webAclArn,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Elasticsearch token API' });
    new CfnOutput(this, 'ElasticPasswordSecretName', {
      value: this.elasticPassword.secretName,
      description: 'Secrets Manager secret holding the password of the elastic user',
    });
    for (const [tableId, table] of Object.entries(this.tables)) {
      new CfnOutput(this, `${pascalCase(tableId)}TableName`, { value: table.tableName });
    }
  }

  /** The settings every function reads at its cold start (functions/config.ts), validated here by the same loader. */
  private functionEnvironment(props: TokenServiceStackProps): Record<string, string> {
    const environment: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(TABLES).map(([tableId, { nameVariable }]) => [nameVariable, this.tables[tableId as TableId].tableName]),
      ),
      TOKEN_TIMEOUT: props.tokenTimeout ?? DEFAULT_ACCESS_TOKEN_TIMEOUT,
      TOKEN_INDEX_SHARDS: String(props.indexShards ?? DEFAULT_INDEX_SHARDS),
      INVALIDATION_BUDGET: `${props.invalidationBudgetMs ?? parseInvalidationBudget(DEFAULT_INVALIDATION_BUDGET)}ms`,
      // The secret's ARN, never the password: each function reads it once per cold start.
      ELASTIC_PASSWORD_SECRET_ARN: this.elasticPassword.secretArn,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      ...(props.samLocal && { DYNAMODB_ENDPOINT: '', ELASTIC_PASSWORD: '' }),
    };
    // A value a function would refuse at its cold start fails the synth instead, with the same message.
    loadConfig(environment);
    return environment;
  }
}
