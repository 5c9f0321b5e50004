-- Leases that keep a job from running on two nodes at once (SCALEOUT.md §2.4), starting with
-- garbage collection (SPEC §2.8). A run takes the lease by setting holder and expires on a row
-- whose lease has expired, and renews expires in every batch; a node that dies leaves a lease
-- that expires. last_slot: the latest schedule slot a run started for, so each slot runs once.
create table job_lease (
    name varchar(64) not null primary key,
    holder varchar(255),
    expires datetime(3),
    last_slot datetime(3)
)${table_options};
insert into job_lease (name) values ('gc');
