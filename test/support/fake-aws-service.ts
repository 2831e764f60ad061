/** A loopback stand-in of an AWS service: where the SDK is pointed, and how it stops. */
export interface FakeAwsService {
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * A stand-in for a whole test file: started before its tests with the SDK pointed at it by the service's own
 * endpoint variable (`AWS_ENDPOINT_URL_EVENTBRIDGE`, ...) and credentials it accepts, stopped after them with the
 * environment restored. The returned function gives the running stand-in, inside the tests only.
 */
export function useFakeAwsService<F extends FakeAwsService>(
  endpointVariable: string,
  start: () => Promise<F>,
  name: string,
): () => F {
  const saved = { ...process.env };
  let fake: F | undefined;
  beforeAll(async () => {
    fake = await start();
    Object.assign(process.env, {
      [endpointVariable]: fake.endpoint,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await fake?.close();
  });
  return () => {
    if (fake === undefined) throw new Error(`the fake ${name} runs only inside the tests`);
    return fake;
  };
}
