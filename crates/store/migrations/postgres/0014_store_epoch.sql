-- A count that grows with every write that changes what a server's read cache
-- holds (people, roles, sessions, cycles, frameworks), whichever process makes
-- it: a `leadkit serve` compares it once per signed-in request and forgets its
-- cache when another process (the command line, say) has written.
create table store_epoch (
    id integer primary key check (id = 1),
    n bigint not null
);
insert into store_epoch (id, n) values (1, 0);
