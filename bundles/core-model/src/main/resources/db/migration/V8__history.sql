-- Issue #13: package history. One row per change a report makes to one package row of a host or
-- an image, written in the report's own transaction; one 'baseline' row (package null) when an
-- entity's history begins. Rows are never updated; GC deletes those older than the retention.
--
-- event: baseline, installed, removed, upgraded, downgraded, upgrade_offered, upgrade_withdrawn.
-- The before/after columns hold the row's whole state on both sides (null when there was no row
-- or no upgrade), so the state at any time since history began is the current rows with the later
-- events undone, newest first.
create table host_event (
    id bigint auto_increment primary key,
    host_id bigint not null,
    created datetime(3) not null,
    update_type varchar(16) not null,
    event varchar(32) not null,
    package varchar(255),
    version_before varchar(255),
    version_after varchar(255),
    upgrade_before varchar(255),
    upgrade_after varchar(255),
    upgrade_type_before varchar(255),
    upgrade_type_after varchar(255),
    constraint fk_host_event_host foreign key (host_id) references host (id)
)${table_options};
create index ix_host_event_host on host_event (host_id, created);
create index ix_host_event_package on host_event (package, created);
create index ix_host_event_created on host_event (created);

create table image_event (
    id bigint auto_increment primary key,
    image_id bigint not null,
    created datetime(3) not null,
    update_type varchar(16) not null,
    event varchar(32) not null,
    package varchar(255),
    version_before varchar(255),
    version_after varchar(255),
    upgrade_before varchar(255),
    upgrade_after varchar(255),
    upgrade_type_before varchar(255),
    upgrade_type_after varchar(255),
    constraint fk_image_event_image foreign key (image_id) references image (id)
)${table_options};
create index ix_image_event_image on image_event (image_id, created);
create index ix_image_event_package on image_event (package, created);
create index ix_image_event_created on image_event (created);

-- When each entity's history began: null for entities stored before this migration until their
-- next report, which records their baseline.
alter table host add column history_since datetime(3);
alter table image add column history_since datetime(3);

-- The time before which GC has pruned history: no state before it is answered. One row.
create table history_horizon (
    id int not null primary key,
    pruned_before datetime(3)
)${table_options};
insert into history_horizon (id, pruned_before) values (1, null);
