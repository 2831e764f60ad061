import { IllegalArgumentError, MediaTypeHeaderError } from '../../../functions/errors';
import { assertSingleValuedHeaders } from '../../../functions/http/single-valued-headers';

/** What API Gateway's REST proxy integration hands the function for repeated headers: the last in `headers`. */
const deployedEvent = (values: [string, string][]) => {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of values) {
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return { headers, multiValueHeaders };
};

describe('single-valued headers in the API Gateway event (RestController.copyRestHeaders)', () => {
  it('the values only multiValueHeaders keeps are seen, whatever the case of their names', () => {
    const event = deployedEvent([
      ['Authorization', 'Basic a'],
      ['authorization', 'Basic b'],
    ]);
    expect(() => assertSingleValuedHeaders(event)).toThrow(
      new IllegalArgumentError('multiple values for single-valued header [Authorization].'),
    );
  });

  it('one value each, or the same value twice, passes; an event without multiValueHeaders is read from headers', () => {
    expect(() => assertSingleValuedHeaders(deployedEvent([['Authorization', 'Basic a']]))).not.toThrow();
    expect(() =>
      assertSingleValuedHeaders(
        deployedEvent([
          ['Authorization', 'Basic a'],
          ['Authorization', 'Basic a'],
        ]),
      ),
    ).not.toThrow();
    expect(() => assertSingleValuedHeaders({ headers: { Authorization: 'Basic a' }, multiValueHeaders: {} })).not.toThrow();
  });

  it('Content-Type is counted, not deduplicated (RestRequest.parseContentType)', () => {
    const event = deployedEvent([
      ['Content-Type', 'application/json'],
      ['content-type', 'application/json'],
    ]);
    expect(() => assertSingleValuedHeaders(event)).toThrow(MediaTypeHeaderError);
  });
});
