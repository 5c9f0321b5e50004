-- Issue #12: each entity's CVE findings, materialised so that fleet-wide views (/cves/, /cves/{id},
-- the dashboard, the host and image lists) read rows instead of computing every entity. One row per
-- (entity, issue, source) whose verdict is a finding or shown on request: every verdict but NONE,
-- FIXED and RUNNING_FIXED (those are only on the entity's own CVE tab). The refresher (CveRefresher)
-- rewrites only the rows whose verdict, sub-state, fix or urgency changed, and records those changes
-- as events. primary_row marks one row per (entity, issue), the most severe, so counts count
-- distinct (entity, issue) pairs (CVE.md §7).
create table host_cve (
    host_id bigint not null,
    issue varchar(64) not null,
    source_name varchar(255) not null,
    verdict varchar(32) not null,
    sub_state varchar(32),
    fix varchar(16),
    urgency varchar(64),
    counted boolean not null,
    primary_row boolean not null,
    first_seen datetime(3) not null,
    changed datetime(3) not null,
    primary key (host_id, issue, source_name),
    constraint fk_host_cve_host foreign key (host_id) references host (id) on delete cascade
)${table_options};
create index ix_host_cve_issue on host_cve (issue, host_id);

create table image_cve (
    image_id bigint not null,
    issue varchar(64) not null,
    source_name varchar(255) not null,
    verdict varchar(32) not null,
    sub_state varchar(32),
    fix varchar(16),
    urgency varchar(64),
    counted boolean not null,
    primary_row boolean not null,
    first_seen datetime(3) not null,
    changed datetime(3) not null,
    primary key (image_id, issue, source_name),
    constraint fk_image_cve_image foreign key (image_id) references image (id) on delete cascade
)${table_options};
create index ix_image_cve_issue on image_cve (issue, image_id);

-- CVE.md §10's history: new (first seen), fix_released (Debian published a fix for an open or
-- untriaged finding), state_changed, fixed (no longer a finding). An entity's first refresh records
-- none: its findings are first seen then.
create table host_cve_event (
    id bigint auto_increment primary key,
    host_id bigint not null,
    created datetime(3) not null,
    issue varchar(64) not null,
    source_name varchar(255) not null,
    event varchar(16) not null,
    verdict_before varchar(64),
    verdict_after varchar(64),
    constraint fk_host_cve_event_host foreign key (host_id) references host (id) on delete cascade
)${table_options};
create index ix_host_cve_event_host on host_cve_event (host_id, issue);
create index ix_host_cve_event_created on host_cve_event (created);

create table image_cve_event (
    id bigint auto_increment primary key,
    image_id bigint not null,
    created datetime(3) not null,
    issue varchar(64) not null,
    source_name varchar(255) not null,
    event varchar(16) not null,
    verdict_before varchar(64),
    verdict_after varchar(64),
    constraint fk_image_cve_event_image foreign key (image_id) references image (id) on delete cascade
)${table_options};
create index ix_image_cve_event_image on image_cve_event (image_id, issue);
create index ix_image_cve_event_created on image_cve_event (created);

-- Per entity: cve_pending counts the changes since its findings were last computed (a report that
-- changes rows and an import whose diff names one of its sources add one; the refresher resets it
-- only if nothing was added meanwhile). The summary columns feed the lists' badge, sort and filter.
-- Existing entities are refreshed once.
alter table host add column cve_pending int not null default 1;
alter table host add column cve_since datetime(3);
alter table host add column cve_coverage varchar(32);
alter table host add column cve_counted int not null default 0;
alter table host add column cve_fixable int not null default 0;
alter table host add column cve_not_assessed int not null default 0;
create index ix_host_cve_pending on host (cve_pending);
alter table image add column cve_pending int not null default 1;
alter table image add column cve_since datetime(3);
alter table image add column cve_coverage varchar(32);
alter table image add column cve_counted int not null default 0;
alter table image add column cve_fixable int not null default 0;
alter table image add column cve_not_assessed int not null default 0;
create index ix_image_cve_pending on image (cve_pending);

-- Package versions a report re-linked to another source version (SPEC §2.6): every host and image
-- with them may judge differently now. The refresher marks those entities and deletes the rows.
create table cve_relinked_version (
    id bigint auto_increment primary key,
    version_id bigint not null
)${table_options};

-- One refresher at a time, across nodes.
insert into job_lease (name) values ('cve-refresh');
