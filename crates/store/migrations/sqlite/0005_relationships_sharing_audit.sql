-- Teams within schools, coach and line-manager relationships, the owner's
-- sharing choices, and the audit log. Kept in step with the other backend's file.

create table team (
    id integer primary key,
    school_id integer not null references school (id) on delete cascade,
    name text not null,
    unique (school_id, name)
);

alter table person add column team_id integer references team (id) on delete set null;

-- One coach and one line manager per person (they may be the same colleague).
create table relationship (
    person_id integer not null references person (id) on delete cascade,
    kind text not null check (kind in ('coach', 'line_manager')),
    other_id integer not null references person (id) on delete cascade,
    check (person_id <> other_id),
    primary key (person_id, kind)
);
create index relationship_other on relationship (other_id);

-- A trust may start every new cycle with each person's reflections shared with
-- their coach; the cycle keeps the setting it began with.
alter table trust add column share_with_coach_by_default integer not null default 0;
alter table cycle add column share_with_coach_by_default integer not null default 0;

-- The owner's choices: one row per kind of record, cycle and audience. A row with
-- shared = 0 is a revoked share (or a declined default), kept so the choice stands.
create table share (
    owner_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id) on delete cascade,
    record text not null check (record in ('reflections', 'goals', 'evidence')),
    audience text not null check (audience in ('coach', 'line_manager', 'person')),
    -- the named colleague for audience 'person', else 0
    audience_person_id integer not null default 0,
    shared integer not null check (shared in (0, 1)),
    changed_at integer not null,
    primary key (owner_id, cycle_id, record, audience, audience_person_id)
);

-- Administrative actions and every access by one person to another's records.
-- Names are copied in so that an entry still reads when a person is erased.
create table audit_event (
    id integer primary key,
    trust_id integer not null references trust (id),
    at integer not null,
    actor_id integer references person (id) on delete set null,
    actor_name text not null,
    action text not null,
    subject_id integer references person (id) on delete set null,
    subject_name text not null default '',
    detail text not null default ''
);
create index audit_event_trust_at on audit_event (trust_id, at);
