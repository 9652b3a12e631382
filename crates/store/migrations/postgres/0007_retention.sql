-- How long a trust keeps archived people before erasing them (null: keep them),
-- and when a person was erased (their row stays, holding no personal data, so
-- that their judgements still count in their groups' numbers).
alter table trust add column archived_retention_days bigint;
alter table person add column erased_at bigint;
