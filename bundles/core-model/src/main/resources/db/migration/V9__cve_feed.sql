-- Issue #12: the Debian Security Tracker feed (CVE.md §1-§2). Each import is a snapshot; its rows
-- are written under its id while readers keep using the active snapshot, and one transaction then
-- makes it the active one (the atomic switch of §2.3). The rows of superseded snapshots are deleted;
-- their cve_snapshot records stay as the import history.
--
-- result: importing, active, superseded, unchanged (the sha256 of the active one), failed.
-- releases: the codenames present in the whole document, comma-separated (coverage, §3.1).
-- row_counts: 'codename=rows' pairs, comma-separated. The diff counts compare with the snapshot
-- that was active before (null for the first one).
create table cve_snapshot (
    id bigint auto_increment primary key,
    started datetime(3) not null,
    finished datetime(3),
    origin varchar(1000) not null,
    sha256 char(64) not null,
    releases varchar(1000),
    row_counts varchar(2000),
    skipped bigint not null,
    result varchar(16) not null,
    error text,
    added bigint,
    removed bigint,
    changed bigint
)${table_options};
create index ix_cve_snapshot_result on cve_snapshot (result);

-- One row per (release, source, issue) of a snapshot. Names avoid the reserved word 'release'.
create table cve_entry (
    snapshot_id bigint not null,
    release_name varchar(64) not null,
    source_name varchar(255) not null,
    issue varchar(64) not null,
    status varchar(64) not null,
    fixed_version varchar(255),
    urgency varchar(64),
    nodsa text,
    nodsa_reason varchar(64),
    next_point_update boolean not null,
    repositories varchar(2000),
    primary key (snapshot_id, release_name, source_name, issue)
)${table_options};
create index ix_cve_entry_issue on cve_entry (snapshot_id, issue);
create index ix_cve_entry_source on cve_entry (snapshot_id, source_name);

-- The per-issue fields of each (source, issue) of a snapshot.
create table cve_issue (
    snapshot_id bigint not null,
    source_name varchar(255) not null,
    issue varchar(64) not null,
    description text,
    scope varchar(64),
    debianbug bigint,
    primary key (snapshot_id, source_name, issue)
)${table_options};

-- One import at a time, across nodes.
insert into job_lease (name) values ('cve-import');

-- CVE.md §3.2: whether a package version's source version came from a reported source_version
-- (our client sends it) or was assumed to be the binary version. Kept under SPEC §2.6's rules:
-- set when the version is created or re-linked. Of the versions stored before, those whose source
-- version differs from the binary version can only have come from a reported source_version; the
-- others are taken as assumed until a report names their source version.
alter table package_version add column source_reported boolean not null default false;
update package_version set source_reported = true where exists (select 1 from source_package_version spv
    where spv.id = package_version.source_package_version_id and spv.version <> package_version.version);
