-- Issue #12, CVE.md §2.1: the scheduled fetch of the feed and the lists from their URLs.
--
-- The Last-Modified of the response a snapshot was imported from (null for files and uploads).
alter table cve_snapshot add column last_modified datetime(3);

-- The last check of each URL kind (feed, distributions, dsa, dla), one row each, so that every node
-- and /cve-feed/ see it. result: imported, not_modified (304), unchanged (the same sha256), failed.
-- last_modified, sha256: of the response checked. imported_*: the last response of this url that
-- was imported (or found equal to the active data); its Last-Modified is sent as If-Modified-Since
-- and its sha256 dedupes the next body. A changed url starts over without them.
create table cve_fetch (
    kind varchar(16) not null primary key,
    url varchar(1000),
    checked datetime(3),
    result varchar(16),
    http_status int,
    last_modified datetime(3),
    sha256 char(64),
    summary text,
    error text,
    imported datetime(3),
    imported_last_modified datetime(3),
    imported_sha256 char(64)
)${table_options};
insert into cve_fetch (kind) values ('feed');
insert into cve_fetch (kind) values ('distributions');
insert into cve_fetch (kind) values ('dsa');
insert into cve_fetch (kind) values ('dla');

-- One fetch at a time across nodes; last_slot runs each scheduled slot once.
insert into job_lease (name) values ('cve-fetch');
