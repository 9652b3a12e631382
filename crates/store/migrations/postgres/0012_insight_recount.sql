-- The release rule now treats populations with the same people as one (a team
-- and that team within its school) and nests them by who is in them, so cells
-- counted under the earlier rule are counted again on the next insight read.
insert into insight_stale (cycle_id, item_id, version)
select distinct cycle_id, item_id, 1 from insight_cell where true
on conflict (cycle_id, item_id) do update set version = insight_stale.version + 1;
