-- Single sign-on with OpenID Connect, configured per trust. The client secret is
-- kept as given: leadkit must present it to the provider.
create table oidc_provider (
    trust_id bigint primary key references trust (id) on delete cascade,
    issuer text not null,
    client_id text not null,
    client_secret text not null
);

-- A sign-in in progress: only a hash of its state is kept, with the nonce and
-- the PKCE verifier, bound to the browser that started it. Used once.
create table oidc_login (
    state_hash text primary key,
    trust_id bigint not null references trust (id) on delete cascade,
    browser_hash text not null,
    nonce text not null,
    pkce_verifier text not null,
    next_path text not null,
    expires_at bigint not null
);
