-- How long the trust's sessions last (ASVS defaults: an hour idle, 12 hours
-- in all).
alter table trust add column session_idle_minutes integer not null default 60;
alter table trust add column session_absolute_hours integer not null default 12;

-- Keys every server process of the deployment must share (the key that binds a
-- signed-out form's token to its cookie). Not in portable backups.
create table server_secret (
    name text primary key,
    value text not null
);
