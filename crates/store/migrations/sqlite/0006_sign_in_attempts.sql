-- Failed sign-ins, for throttling per account and per address across every server
-- process. Keys are 'email:<address typed>' or 'ip:<client address>', so that an
-- address nobody has is throttled exactly like a real one.
create table failed_sign_in (
    key text not null,
    at integer not null
);
create index failed_sign_in_key_at on failed_sign_in (key, at);
