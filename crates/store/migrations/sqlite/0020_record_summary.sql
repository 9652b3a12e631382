-- The one-page record of a leader's cycle: strengths and areas for development
-- and the leader's overall comment (the leader's to write), and the coach's
-- overall comment (the coach's, kept with their name).
create table record_summary (
    person_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id),
    strengths text not null default '',
    development text not null default '',
    leader_comment text not null default '',
    leader_saved_at integer,
    coach_comment text not null default '',
    coach_id integer references person (id) on delete set null,
    coach_name text not null default '',
    coach_saved_at integer,
    primary key (person_id, cycle_id)
);
