// A real OpenID Provider (oidc-provider) on a free loopback port, in a process of its own so that its ESM
// stack stays out of jest's module loader. argv[2]: JSON {clients, jwks}. Prints {"issuer": ...} when ready.
import { createServer } from 'node:http';
import { CompactSign, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import Provider from 'oidc-provider';

const { clients, jwks } = JSON.parse(process.argv[2]);
const signingKey = await importJWK(jwks.keys[0], 'RS256');

/**
 * A login that is a JSON object makes the provider misbehave for that user, as a broken or hostile provider
 * would: `{"id_token": {...}, "userinfo": {...}, "depth": {"id_token": n, "userinfo": n}}`. The claims given
 * replace the provider's own (`sub` included) in the ID token and in the userinfo answer, and `depth` adds a
 * claim `deep` nested n levels. The answer is written as JSON text, the deep claim spliced in, since
 * JSON.stringify itself overflows the stack at a few thousand levels. Undefined for any other login.
 */
function misbehavingClaims(claims, use) {
  if (typeof claims.sub !== 'string' || !claims.sub.startsWith('{')) return undefined;
  const recipe = JSON.parse(claims.sub);
  const text = JSON.stringify({ ...claims, ...recipe[use] });
  const depth = recipe.depth?.[use];
  if (depth === undefined) return text;
  return `${text.slice(0, -1)}${text === '{}' ? '' : ','}"deep":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

/** The ID token with the misbehaving claims, signed again with the provider's key. */
async function misbehavingIdToken(idToken) {
  const text = misbehavingClaims(decodeJwt(idToken), 'id_token');
  if (text === undefined) return idToken;
  return new CompactSign(Buffer.from(text)).setProtectedHeader(decodeProtectedHeader(idToken)).sign(signingKey);
}
const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks,
    // Every login is a user of that name, in the groups its name lists after a '+': alice+admins+ops.
    // A login ending in '*<n>' also has a `notes` claim of n characters: carol*600000. A login that is a JSON
    // object is a user the provider misbehaves for: see misbehavingClaims.
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () =>
        id.startsWith('{')
          ? { sub: id }
          : {
              sub: id,
              email: `${id.split(/[+*]/)[0]}@example.com`,
              name: `User ${id.split(/[+*]/)[0]}`,
              groups: id.split('*')[0].split('+').slice(1),
              ...(/\*(\d+)$/.test(id) && { notes: 'n'.repeat(Number(/\*(\d+)$/.exec(id)[1])) }),
            },
    }),
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'notes'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => false },
    cookies: { keys: ['test-cookie-key'] },
  });
  provider.on('server_error', () => {});
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && typeof ctx.body?.id_token === 'string') {
      ctx.body = { ...ctx.body, id_token: await misbehavingIdToken(ctx.body.id_token) };
    } else if (ctx.path === '/me' && typeof ctx.body?.sub === 'string') {
      const text = misbehavingClaims(ctx.body, 'userinfo');
      if (text !== undefined) {
        ctx.body = text;
        ctx.type = 'application/json';
      }
    }
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
