-- Growth between two cycles is precomputed too.
--
-- growth_cell holds, per pair of cycles and component, every population whose
-- growth may be shown (see leadkit_domain::insight::released_growth) with how
-- many moved up, stayed and moved down. A pair of cycles is any two a view asks
-- for, so staleness cannot be a mark that one refresh clears: insight_version
-- keeps a count per (cycle, component) that grows with every mark made in
-- insight_stale (by the triggers of migration 0011, on every path a judgement or
-- someone's grouping can change), and growth_counted records the two counts a
-- pair's cells were computed from. Cells whose counts differ are computed again
-- before they are read.

create table insight_version (
    cycle_id integer not null,
    item_id integer not null,
    version integer not null,
    primary key (cycle_id, item_id)
);

insert into insight_version (cycle_id, item_id, version)
select distinct cycle_id, item_id, 1 from reflection where true
on conflict (cycle_id, item_id) do nothing;

create trigger insight_version_marked after insert on insight_stale
begin
    insert into insight_version (cycle_id, item_id, version) values (new.cycle_id, new.item_id, 1)
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;

create trigger insight_version_marked_again after update of version on insight_stale
begin
    insert into insight_version (cycle_id, item_id, version) values (new.cycle_id, new.item_id, 1)
    on conflict (cycle_id, item_id) do update set version = version + 1;
end;

create table growth_counted (
    from_cycle integer not null references cycle (id) on delete cascade,
    to_cycle integer not null references cycle (id) on delete cascade,
    item_id integer not null references framework_item (id),
    from_version integer not null,
    to_version integer not null,
    primary key (from_cycle, to_cycle, item_id)
);

create table growth_cell (
    from_cycle integer not null references cycle (id) on delete cascade,
    to_cycle integer not null references cycle (id) on delete cascade,
    item_id integer not null references framework_item (id),
    -- a population: each attribute an id, 0 for none, or -1 for any
    school integer not null,
    team integer not null,
    role integer not null,
    up integer not null,
    same integer not null,
    down integer not null,
    primary key (from_cycle, to_cycle, item_id, school, team, role)
);
-- The growth view reads one pair's cells of one population across all components.
create index growth_cell_view on growth_cell (from_cycle, to_cycle, team, role, school);
