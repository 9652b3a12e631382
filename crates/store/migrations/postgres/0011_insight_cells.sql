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
--
-- The reflection triggers run once per statement over its transition tables, so
-- a bulk insert marks each pair once; pairs are marked in order, so concurrent
-- transactions lock them in the same order.

create index reflection_cycle_item on reflection (cycle_id, item_id);

create table insight_stale (
    cycle_id bigint not null,
    item_id bigint not null,
    version bigint not null,
    primary key (cycle_id, item_id)
);

create table insight_cell (
    cycle_id bigint not null references cycle (id) on delete cascade,
    item_id bigint not null references framework_item (id),
    -- a population: each attribute an id, 0 for none, or -1 for any
    school bigint not null,
    team bigint not null,
    role bigint not null,
    people bigint not null,
    not_yet bigint not null,
    -- people at each level of the scale, lowest first, separated by commas
    levels text not null,
    primary key (cycle_id, item_id, school, team, role)
);
-- A heatmap reads one cycle's cells of one grouping (say every school, any team,
-- any role) across all components.
create index insight_cell_view on insight_cell (cycle_id, team, role, school);

insert into insight_stale (cycle_id, item_id, version)
select distinct cycle_id, item_id, 1 from reflection;

create function insight_mark_new() returns trigger language plpgsql as $$
begin
    insert into insight_stale (cycle_id, item_id, version)
    select distinct cycle_id, item_id, 1 from new_rows order by cycle_id, item_id
    on conflict (cycle_id, item_id) do update set version = insight_stale.version + 1;
    return null;
end $$;

create function insight_mark_old() returns trigger language plpgsql as $$
begin
    insert into insight_stale (cycle_id, item_id, version)
    select distinct cycle_id, item_id, 1 from old_rows order by cycle_id, item_id
    on conflict (cycle_id, item_id) do update set version = insight_stale.version + 1;
    return null;
end $$;

create function insight_mark_changed() returns trigger language plpgsql as $$
begin
    insert into insight_stale (cycle_id, item_id, version)
    select cycle_id, item_id, 1 from (
        select n.cycle_id, n.item_id from new_rows n join old_rows o on o.id = n.id
        where o.judgement is distinct from n.judgement or o.cycle_id <> n.cycle_id
           or o.item_id <> n.item_id or o.person_id <> n.person_id
        union
        select o.cycle_id, o.item_id from new_rows n join old_rows o on o.id = n.id
        where o.judgement is distinct from n.judgement or o.cycle_id <> n.cycle_id
           or o.item_id <> n.item_id or o.person_id <> n.person_id
    ) changed order by cycle_id, item_id
    on conflict (cycle_id, item_id) do update set version = insight_stale.version + 1;
    return null;
end $$;

create trigger insight_reflection_inserted after insert on reflection
referencing new table as new_rows for each statement execute function insight_mark_new();
create trigger insight_reflection_changed after update on reflection
referencing old table as old_rows new table as new_rows
for each statement execute function insight_mark_changed();
create trigger insight_reflection_deleted after delete on reflection
referencing old table as old_rows for each statement execute function insight_mark_old();

create function insight_mark_person(person bigint) returns void language sql as $$
    insert into insight_stale (cycle_id, item_id, version)
    select cycle_id, item_id, 1 from reflection where person_id = person order by cycle_id, item_id
    on conflict (cycle_id, item_id) do update set version = insight_stale.version + 1;
$$;

create function insight_person_moved() returns trigger language plpgsql as $$
begin
    if old.school_id is distinct from new.school_id or old.team_id is distinct from new.team_id then
        perform insight_mark_person(new.id);
    end if;
    return null;
end $$;

create function insight_role_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform insight_mark_person(old.person_id);
    else
        perform insight_mark_person(new.person_id);
    end if;
    return null;
end $$;

create trigger insight_person_moved after update of school_id, team_id on person
for each row execute function insight_person_moved();
create trigger insight_role_changed after insert or delete on person_role
for each row execute function insight_role_changed();
