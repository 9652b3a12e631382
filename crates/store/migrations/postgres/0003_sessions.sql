-- Sign-in sessions live in the database so that several server processes share them.
-- The cookie carries a random token; only its SHA-256 is stored.
create table session (
    token_hash text primary key,
    person_id bigint not null references person (id) on delete cascade,
    -- the per-session token every state-changing request must echo back
    csrf_token text not null,
    created_at bigint not null,
    last_seen_at bigint not null,
    expires_at bigint not null
);
create index session_person on session (person_id);
