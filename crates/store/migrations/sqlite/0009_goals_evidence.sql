-- Growing Great People goals with their items, actions, check-ins and review;
-- the evidence portfolio; coaches' agreed levels and conversation notes.
-- Kept in step with the other backend's file.

create table goal (
    id integer primary key,
    owner_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id),
    title text not null,
    -- level codes on the first item's framework scale; null current = not yet
    current_level text,
    -- null on a framework without levels
    target_level text,
    why text not null default '',
    success_criteria text not null default '',
    -- support codes separated by spaces: coaching course colleague
    support text not null default '',
    support_detail text not null default '',
    status text not null check (status in ('planned', 'in_progress', 'paused')),
    review_outcome text check (review_outcome in ('achieved', 'partly', 'not_yet', 'carried_forward')),
    review_note text not null default '',
    reviewed_on text,
    carried_from integer references goal (id) on delete set null,
    created_at integer not null,
    updated_at integer not null
);
create index goal_owner_cycle on goal (owner_id, cycle_id);

create table goal_item (
    goal_id integer not null references goal (id) on delete cascade,
    item_id integer not null references framework_item (id),
    position integer not null,
    primary key (goal_id, item_id)
);

create table goal_action (
    id integer primary key,
    goal_id integer not null references goal (id) on delete cascade,
    text text not null,
    owner text not null default '',
    due_on text,
    done integer not null default 0 check (done in (0, 1))
);
create index goal_action_goal on goal_action (goal_id);

create table check_in (
    id integer primary key,
    goal_id integer not null references goal (id) on delete cascade,
    author_id integer references person (id) on delete set null,
    author_name text not null,
    on_date text not null,
    progress text not null default '',
    rag text not null check (rag in ('red', 'amber', 'green')),
    next_steps text not null default '',
    created_at integer not null
);
create index check_in_goal on check_in (goal_id);

-- A file is kept once, outside the database, under the SHA-256 of its bytes;
-- several pieces of evidence may name the same file.
create table evidence (
    id integer primary key,
    owner_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id),
    title text not null,
    on_date text not null,
    note text not null default '',
    link text,
    file_sha256 text,
    file_name text,
    file_size integer,
    file_type text,
    created_at integer not null
);
create index evidence_owner_cycle on evidence (owner_id, cycle_id);
create index evidence_file on evidence (file_sha256);

create table evidence_item (
    evidence_id integer not null references evidence (id) on delete cascade,
    item_id integer not null references framework_item (id),
    primary key (evidence_id, item_id)
);

create table evidence_goal (
    evidence_id integer not null references evidence (id) on delete cascade,
    goal_id integer not null references goal (id) on delete cascade,
    primary key (evidence_id, goal_id)
);

-- A coach's own view of a coachee's component: the agreed level and a comment.
-- Kept beside the coachee's reflection; neither overwrites the other.
create table coach_view (
    person_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id),
    item_id integer not null references framework_item (id),
    coach_id integer references person (id) on delete set null,
    coach_name text not null,
    judgement text,
    comment text not null default '',
    updated_at integer not null,
    primary key (person_id, cycle_id, item_id)
);

-- Conversation notes that a leader and their coach both see.
create table conversation_note (
    id integer primary key,
    person_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id),
    author_id integer references person (id) on delete set null,
    author_name text not null,
    body text not null,
    created_at integer not null
);
create index conversation_note_person on conversation_note (person_id, cycle_id);

-- A coach's sign-off of a leader's review of a cycle: afterwards the record is
-- read-only except for new comments.
create table cycle_sign_off (
    person_id integer not null references person (id) on delete cascade,
    cycle_id integer not null references cycle (id),
    coach_id integer references person (id) on delete set null,
    coach_name text not null,
    signed_at integer not null,
    primary key (person_id, cycle_id)
);
