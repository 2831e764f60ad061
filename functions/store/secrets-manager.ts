import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '../telemetry/tracer';

/**
 * Reads a plain-text secret (the deployed stack's `elastic` bootstrap password). The SDK's own
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER` variable points it elsewhere (a local stand-in) when needed.
 */
export async function readSecretString(secretId: string, region: string): Promise<string> {
  // Bounded like the DynamoDB client: a Secrets Manager that does not answer fails the read, it does not hang it.
  const client = traced(
    new SecretsManagerClient({
      region,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    }),
  );
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (SecretString === undefined || SecretString === '') throw new EmptySecretError(secretId);
    return SecretString;
  } finally {
    // One read every few minutes: the client is not kept, so no connection outlives it.
    client.destroy();
  }
}

class EmptySecretError extends Error {
  constructor(secretId: string) {
    super(`secret [${secretId}] holds no string value`);
    this.name = 'EmptySecretError';
  }
}
