// A real OpenID Provider (oidc-provider) on a free loopback port, in a process of its own so that its ESM
// stack stays out of jest's module loader. argv[2]: JSON {clients, jwks}. Prints {"issuer": ...} when ready.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { clients, jwks } = JSON.parse(process.argv[2]);
const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks,
    // Every login is a user of that name, in the groups its name lists after a '+': alice+admins+ops.
    // A login ending in '*<n>' also has a `notes` claim of n characters: carol*600000.
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: `${id.split(/[+*]/)[0]}@example.com`,
        name: `User ${id.split(/[+*]/)[0]}`,
        groups: id.split('*')[0].split('+').slice(1),
        ...(/\*(\d+)$/.test(id) && { notes: 'n'.repeat(Number(/\*(\d+)$/.exec(id)[1])) }),
      }),
    }),
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'notes'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => false },
    cookies: { keys: ['test-cookie-key'] },
  });
  provider.on('server_error', () => {});
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
