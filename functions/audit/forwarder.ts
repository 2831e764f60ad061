import { gunzipSync } from 'node:zlib';

/** What CloudWatch Logs sends a subscription filter's Lambda destination (gzip, then base64). */
interface SubscriptionEvent {
  readonly awslogs: { readonly data: string };
}

interface SubscriptionPayload {
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly logEvents: readonly { readonly message: string }[];
}

/**
 * The audit log's forwarder (infra/audit-log.ts): its own log group is the audit log, so writing each audit
 * line to stdout, unchanged, is writing it there. Only lines that are audit events are written again, whatever
 * the filter let through.
 */
export const handler = async (event: SubscriptionEvent): Promise<void> => {
  const payload = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as SubscriptionPayload;
  if (payload.messageType !== 'DATA_MESSAGE') return;
  for (const { message } of payload.logEvents) {
    const line = message.trim();
    if (line.startsWith('{"type":"audit"')) process.stdout.write(`${line}\n`);
  }
};
