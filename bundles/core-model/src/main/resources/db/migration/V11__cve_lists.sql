-- Issue #12: the tracker's side files (CVE.md §1.5, §1.7): the DSA and DLA lists, which only label
-- findings with the advisory that fixed them, and distributions.json, which maps codenames to
-- Debian major versions. Each import of a file is recorded; its rows are written under the import's
-- id while readers keep using the active import of that kind, and one transaction then makes it the
-- active one. The rows of superseded imports are deleted; their records stay as the history.
--
-- kind: dsa, dla, distributions. result: importing, active, superseded, unchanged (the sha256 of the
-- active import of its kind), failed. entries: advisories or codenames read; skipped: lines or
-- entries left out. last_modified: the Last-Modified of the HTTP response a fetched file came from
-- (UTC), as cve_snapshot's.
create table cve_list_import (
    id bigint auto_increment primary key,
    kind varchar(16) not null,
    started datetime(3) not null,
    finished datetime(3),
    origin varchar(1000) not null,
    last_modified datetime(3),
    sha256 char(64) not null,
    entries bigint not null,
    skipped bigint not null,
    result varchar(16) not null,
    error text
)${table_options};
create index ix_cve_list_import_kind on cve_list_import (kind, result);

-- One advisory of a DSA or DLA list: its first line.
create table cve_advisory (
    list_id bigint not null,
    advisory varchar(64) not null,
    published date,
    source_name varchar(255) not null,
    summary varchar(1000),
    primary key (list_id, advisory)
)${table_options};

-- The issues an advisory names; a regression advisory without a list has its base advisory's.
create table cve_advisory_issue (
    list_id bigint not null,
    advisory varchar(64) not null,
    issue varchar(64) not null,
    primary key (list_id, advisory, issue)
)${table_options};
create index ix_cve_advisory_issue_issue on cve_advisory_issue (issue, list_id);

-- An advisory's '[release] - source version' lines; the version is null where the line names none.
create table cve_advisory_fix (
    list_id bigint not null,
    advisory varchar(64) not null,
    release_name varchar(64) not null,
    source_name varchar(255) not null,
    fixed_version varchar(255),
    primary key (list_id, advisory, release_name, source_name)
)${table_options};

-- distributions.json: codename -> major version ('' for sid), and the support it names.
create table cve_distribution (
    list_id bigint not null,
    codename varchar(64) not null,
    major_version varchar(16) not null,
    support varchar(255),
    primary key (list_id, codename)
)${table_options};

-- Settings the stored findings were computed with (the release map, signed kernel sources and VM
-- image patterns as one fingerprint): a node that starts with other values marks every entity.
create table cve_setting (
    name varchar(64) primary key,
    setting_value varchar(4000) not null
)${table_options};

-- One side-file import at a time, across nodes.
insert into job_lease (name) values ('cve-list-import');
