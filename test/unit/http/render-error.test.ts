import {
  ActionRequestValidationError,
  AuthenticationError,
  ContentParseError,
  OAuth2Error,
  StorageUnavailableError,
  TokenExpiredError,
} from '../../../functions/errors';
import { renderError } from '../../../functions/http/render-error';

describe('error rendering', () => {
  it('renders an ES error body with root_cause, type, reason and status (ER-1)', () => {
    const response = renderError(new ContentParseError('[1:2] [token_request] unknown field [x]'));
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toEqual({
      error: {
        root_cause: [{ type: 'x_content_parse_exception', reason: '[1:2] [token_request] unknown field [x]' }],
        type: 'x_content_parse_exception',
        reason: '[1:2] [token_request] unknown field [x]',
      },
      status: 400,
    });
  });

  it('keeps caused_by beside the outer error', () => {
    const cause = { type: 'illegal_argument_exception', reason: 'only one' };
    const body = JSON.parse(renderError(new ContentParseError('failed', { caused_by: cause })).body);
    expect(body.error.caused_by).toEqual(cause);
    expect(body.error.root_cause[0].caused_by).toBeUndefined();
  });

  it('renders validation messages in Elasticsearch form', () => {
    const body = JSON.parse(renderError(new ActionRequestValidationError(['a', 'b'])).body);
    expect(body.error.reason).toBe('Validation Failed: 1: a;2: b;');
  });

  it('ER-8: an authentication failure carries both realm challenges, as headers and in the body', () => {
    const response = renderError(new AuthenticationError('missing authentication credentials for REST request [/x]'));
    const challenges = ['Basic realm="security" charset="UTF-8"', 'Bearer realm="security"'];
    expect(response.statusCode).toBe(401);
    expect(response.multiValueHeaders?.['WWW-Authenticate']).toEqual(challenges);
    expect(JSON.parse(response.body).error.header).toEqual({ 'WWW-Authenticate': challenges });
  });

  it('AU-4: an expired token carries the invalid_token challenge only', () => {
    const response = renderError(new TokenExpiredError());
    expect(response.multiValueHeaders?.['WWW-Authenticate']).toEqual([
      'Bearer realm="security", error="invalid_token", error_description="The access token expired"',
    ]);
    expect(JSON.parse(response.body).error.reason).toBe('token expired');
  });

  it('renders OAuth2 errors as {error, error_description}', () => {
    const response = renderError(new OAuth2Error('invalid_grant', 'could not refresh the requested token'));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'invalid_grant',
      error_description: 'could not refresh the requested token',
    });
  });

  it('ER-11: a storage failure is a 503 ES body that names the store and does not show the cause', () => {
    const response = renderError(new StorageUnavailableError('user', 'read user', { cause: new Error('secret internals') }));
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body).error.reason).toBe('the user store is unavailable [read user]');
    expect(response.body).not.toContain('secret internals');
  });

  it('an unexpected error is a generic 500: no message, no stack', () => {
    const error = new TypeError('Cannot read properties of undefined (reading password=hunter2)');
    const response = renderError(error);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('at ');
    expect(JSON.parse(response.body).error.type).toBe('exception');
  });
});
