-- A form a person posted after their session had ended, kept until they have
-- signed in again and sent it (or thrown it away): the page it came from, the
-- path it was posted to and its fields (a JSON list of [name, value] pairs).
create table kept_form (
    id integer primary key,
    person_id integer not null references person (id) on delete cascade,
    page text not null,
    action text not null,
    fields text not null,
    created_at integer not null
);
create index kept_form_person on kept_form (person_id, created_at);
