// A real OpenID Connect provider on loopback for leadkit's sign-in tests:
// oidc-provider (npm) with its development login pages, where any login name is
// accepted. A login of "unverified:NAME@…" signs in with an email address the
// provider has not verified.
//   node e2e/oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
if (!redirectUri) {
  console.error('usage: node oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI');
  process.exit(2);
}

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  // Put the email claims in the ID token, as Google's and most schools' providers
  // do; leadkit reads them from there.
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  cookies: { keys: ['leadkit-test-only'] },
  async findAccount(ctx, id) {
    const unverified = id.startsWith('unverified:');
    const email = unverified ? id.slice('unverified:'.length) : id;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email, email_verified: !unverified };
      },
    };
  },
});
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on http://127.0.0.1:${port}`);
});
