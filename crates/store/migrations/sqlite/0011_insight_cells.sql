-- Insight reads precomputed cells instead of counting every judgement.
--
-- insight_cell holds, per cycle and component, every population that may be
-- shown (see leadkit_domain::insight::release) with its distribution of levels.
-- insight_stale lists the (cycle, component) pairs whose cells are out of date:
-- the triggers below mark a pair whenever a judgement in it, or the grouping
-- attributes of someone who made one, changes, by any path (a save, a carried
-- cycle, an erasure, a restore). Insight brings stale pairs up to date before it
-- reads, so what it shows is always exact. `version` grows with every mark, so a
-- refresh only clears the mark it computed from.

create index reflection_cycle_item on reflection (cycle_id, item_id);

create table insight_stale (
    cycle_id integer not null,
    item_id integer not null,
    version integer not null,
    primary key (cycle_id, item_id)
);

create table insight_cell (
    cycle_id integer not null references cycle (id) on delete cascade,
    item_id integer not null references framework_item (id),
    -- a population: each attribute an id, 0 for none, or -1 for any
    school integer not null,
    team integer not null,
    role integer not null,
    people integer not null,
    not_yet integer not null,
    -- people at each level of the scale, lowest first, separated by commas
    levels text not null,
    primary key (cycle_id, item_id, school, team, role)
);
-- A heatmap reads one cycle's cells of one grouping (say every school, any team,
-- any role) across all components.
create index insight_cell_view on insight_cell (cycle_id, team, role, school);

insert into insight_stale (cycle_id, item_id, version)
select distinct cycle_id, item_id, 1 from reflection;

create trigger insight_reflection_inserted after insert on reflection
begin
    insert into insight_stale (cycle_id, item_id, version) values (new.cycle_id, new.item_id, 1)
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;

create trigger insight_reflection_changed
after update of judgement, cycle_id, item_id, person_id on reflection
when old.judgement is not new.judgement or old.cycle_id <> new.cycle_id
  or old.item_id <> new.item_id or old.person_id <> new.person_id
begin
    insert into insight_stale (cycle_id, item_id, version) values (old.cycle_id, old.item_id, 1)
    on conflict (cycle_id, item_id) do update set version = version + 1;
    insert into insight_stale (cycle_id, item_id, version) values (new.cycle_id, new.item_id, 1)
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;

create trigger insight_reflection_deleted after delete on reflection
begin
    insert into insight_stale (cycle_id, item_id, version) values (old.cycle_id, old.item_id, 1)
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;

create trigger insight_person_moved after update of school_id, team_id on person
when old.school_id is not new.school_id or old.team_id is not new.team_id
begin
    insert into insight_stale (cycle_id, item_id, version)
    select cycle_id, item_id, 1 from reflection where person_id = new.id
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;

create trigger insight_role_added after insert on person_role
begin
    insert into insight_stale (cycle_id, item_id, version)
    select cycle_id, item_id, 1 from reflection where person_id = new.person_id
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;

create trigger insight_role_removed after delete on person_role
begin
    insert into insight_stale (cycle_id, item_id, version)
    select cycle_id, item_id, 1 from reflection where person_id = old.person_id
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;
