-- A cycle is a period of reflection (usually a school year). Dates are ISO 8601
-- text ('2026-09-01'), which sorts correctly in both backends.
create table cycle (
    id integer primary key,
    trust_id integer not null references trust (id),
    name text not null,
    starts_on text not null,
    ends_on text not null,
    closed_at integer,
    unique (trust_id, name)
);

-- One row per person, cycle and item: the latest judgement and note. Saving again
-- updates the row in place; history across cycles comes from the cycle rows.
create table reflection (
    id integer primary key,
    person_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id),
    item_id integer not null references framework_item (id),
    -- a level code of the framework's scale, 'not_yet', 'not_in_role', or null
    -- while only a note has been written
    judgement text,
    note text not null default '',
    updated_at integer not null,
    unique (person_id, cycle_id, item_id)
);
