import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useFakeAwsService } from './fake-aws-service';

export interface FakeSecretsManager {
  /** For `AWS_ENDPOINT_URL_SECRETS_MANAGER`, the SDK's own endpoint override. */
  readonly endpoint: string;
  /** The SecretId of every GetSecretValue call received, in order. */
  readonly reads: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for the one Secrets Manager call the service makes (GetSecretValue, AWS JSON 1.1 protocol),
 * so the real SDK client is exercised end to end without an AWS account. Secrets Manager has no local
 * engine as DynamoDB has; this serves the given secrets and counts the reads.
 */
export async function startFakeSecretsManager(secrets: Record<string, string>): Promise<FakeSecretsManager> {
  const reads: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += String(chunk);
    });
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      const secret = SecretId === undefined ? undefined : secrets[SecretId];
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || SecretId === undefined || secret === undefined) {
        response.writeHead(400);
        response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: `no secret [${SecretId}]` }));
        return;
      }
      reads.push(SecretId);
      response.writeHead(200);
      response.end(JSON.stringify({ ARN: SecretId, Name: 'elastic-password', SecretString: secret, VersionId: 'v1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reads,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The fake for a whole test file (fake-aws-service.ts); `reads` is the running server's. */
export function useFakeSecretsManager(secrets: Record<string, string>): Pick<FakeSecretsManager, 'reads'> {
  const fake = useFakeAwsService('AWS_ENDPOINT_URL_SECRETS_MANAGER', () => startFakeSecretsManager(secrets), 'Secrets Manager');
  return {
    get reads() {
      return fake().reads;
    },
  };
}
