-- The points of a coaching year: a cycle's checkpoints (goals agreed by October,
-- a mid-year review by February, an end-of-year review by July), each with the
-- date it is due.
create table cycle_checkpoint (
    id integer primary key,
    cycle_id integer not null references cycle (id) on delete cascade,
    name text not null,
    due_on text not null,
    unique (cycle_id, name)
);

-- At a checkpoint, the leader and their coach each record that they met and
-- agreed: who confirmed (kept by name too, as check-ins are) and when.
create table checkpoint_confirmation (
    checkpoint_id integer not null references cycle_checkpoint (id) on delete cascade,
    person_id integer not null references person (id) on delete cascade,
    side text not null check (side in ('leader', 'coach')),
    confirmed_by integer references person (id) on delete set null,
    confirmed_by_name text not null,
    confirmed_at integer not null,
    primary key (checkpoint_id, person_id, side)
);
create index checkpoint_confirmation_person on checkpoint_confirmation (person_id);
