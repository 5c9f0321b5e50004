-- Issue #12, CVE.md §10: exceptions. An administrator accepts the findings of one issue, optionally
-- of one source package only and on one host or image only, with a reason and an optional expiry.
-- An accepted finding keeps its verdict, stays listed, and leaves the headline.
--
-- The entity is kept by kind and name, not by id: a host that garbage collection removed and that
-- reports again is the same machine to the administrator, and an exception must neither vanish
-- with a cascade nor silently stop applying. source_name null: every source; entity null: every
-- host and image. expires: the exception lapses at that instant (UTC). lapsed: set once by the CVE
-- refresher when it marked the entities of an expired exception for recomputation, so that expiry
-- costs one indexed query per run. revoked, revoked_by: ended early; revoked rows stay as the record.
create table cve_exception (
    id bigint auto_increment primary key,
    issue varchar(64) not null,
    source_name varchar(255),
    entity_kind varchar(8),
    entity_name varchar(255),
    reason text not null,
    author varchar(255) not null,
    created datetime(3) not null,
    expires datetime(3),
    lapsed boolean not null default false,
    revoked datetime(3),
    revoked_by varchar(255),
    constraint ck_cve_exception_entity check ((entity_kind is null and entity_name is null)
        or (entity_kind in ('host', 'image') and entity_name is not null))
)${table_options};
create index ix_cve_exception_issue on cve_exception (issue);
create index ix_cve_exception_entity on cve_exception (entity_kind, entity_name);
create index ix_cve_exception_lapse on cve_exception (lapsed, expires);

-- Whether an exception accepts the stored finding: the refresher rewrites the row when this
-- changes, and the fleet counts (/cves/, the dashboard, the lists' badges) leave accepted rows out
-- of the headline and count them in their own column.
alter table host_cve add column accepted boolean not null default false;
alter table image_cve add column accepted boolean not null default false;
