-- A person's private calendar feed (a secret URL; only its hash is kept, so it
-- is shown once and can be revoked or replaced), their email reminder choice
-- with the unsubscribe link's hash, and the days a reminder digest was sent.
-- Kept in step with the other backend's file.

create table calendar_feed (
    person_id bigint primary key references person (id) on delete cascade,
    token_hash text not null unique,
    created_at bigint not null
);

create table reminder_setting (
    person_id bigint primary key references person (id) on delete cascade,
    email_reminders bigint not null default 1 check (email_reminders in (0, 1)),
    unsubscribe_hash text unique
);

create table reminder_sent (
    person_id bigint not null references person (id) on delete cascade,
    day text not null,
    primary key (person_id, day)
);

-- A cycle may be one school's (its own school year or term) rather than the
-- whole trust's; null is the whole trust.
alter table cycle add column school_id bigint references school (id);

-- The fewest people any group number shown in insight may describe: 5, or more
-- if a trust administrator raises it.
alter table trust add column insight_threshold bigint not null default 5 check (insight_threshold >= 5);

-- A person who opts in is listed in the expertise directory against components
-- where they and their coach agree they are at the highest level.
alter table person add column expertise_opt_in bigint not null default 0 check (expertise_opt_in in (0, 1));
