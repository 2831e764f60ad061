import { gzipSync } from 'node:zlib';
import { handler } from '../../../functions/audit/forwarder';

/** What CloudWatch Logs hands a subscription's Lambda: the log events, gzipped, then base64. */
const subscriptionEvent = (messageType: string, messages: readonly string[]) => ({
  awslogs: {
    data: gzipSync(
      JSON.stringify({ messageType, logEvents: messages.map((message, i) => ({ id: String(i), timestamp: i, message })) }),
    ).toString('base64'),
  },
});

async function written(event: ReturnType<typeof subscriptionEvent>): Promise<string[]> {
  const chunks: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await handler(event);
  } finally {
    stdout.mockRestore();
  }
  return chunks;
}

describe('the audit log forwarder (AUDIT-11)', () => {
  const audit =
    '{"type":"audit", "timestamp":"2026-12-07T18:00:00,000+0000", "event.type":"rest", "event.action":"anonymous_access_denied"}';

  it('AUDIT-11: writes each audit line again, unchanged, one a line, and nothing else of the function log', async () => {
    const request = '{"level":"INFO","message":"request","status":401}';
    expect(await written(subscriptionEvent('DATA_MESSAGE', [`${audit}\n`, request, audit]))).toEqual([
      `${audit}\n`,
      `${audit}\n`,
    ]);
  });

  it("AUDIT-11: CloudWatch Logs' control messages write nothing", async () => {
    expect(await written(subscriptionEvent('CONTROL_MESSAGE', ['CWL CONTROL MESSAGE: Checking health of destination']))).toEqual(
      [],
    );
  });
});
