-- Trust → school, and the people in them. A person's password hash lives on the
-- person row (argon2id PHC string); null until they set one.
create table trust (
    id integer primary key,
    name text not null,
    created_at integer not null
);

create table school (
    id integer primary key,
    trust_id integer not null references trust (id),
    name text not null,
    unique (trust_id, name)
);

create table person (
    id integer primary key,
    trust_id integer not null references trust (id),
    school_id integer references school (id),
    full_name text not null,
    -- stored lowercased, so one address is one person
    email text not null unique,
    job_title text not null default '',
    password_hash text,
    created_at integer not null,
    archived_at integer
);

create table person_role (
    person_id integer not null references person (id) on delete cascade,
    role text not null check (role in ('leader', 'coach', 'school_lead', 'trust_lead', 'administrator')),
    -- null: the role is held across the whole trust
    school_id integer references school (id)
);
-- unique treats nulls as distinct, so fold a trust-wide role to school 0 for the check
create unique index person_role_once on person_role (person_id, role, coalesce(school_id, 0));

-- One-time links: the first administrator's set-up link (and later invitations).
-- Only a hash of the token is kept, so a copy of the database cannot be used to sign in.
create table setup_token (
    token_hash text primary key,
    purpose text not null,
    person_id integer references person (id) on delete cascade,
    expires_at integer not null,
    used_at integer
);
