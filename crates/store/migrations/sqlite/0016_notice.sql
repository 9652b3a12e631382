-- What a person is told in the app about a change someone else made to them
-- (a new coach or line manager), until they dismiss it.
create table notice (
    id integer primary key,
    person_id integer not null references person (id) on delete cascade,
    body text not null,
    created_at integer not null,
    dismissed_at integer
);
create index notice_person on notice (person_id, dismissed_at);
