-- dpkg order in SQL (SPEC §2.5): sort_key is DebianVersion.sortKey(version), an ASCII string whose
-- byte order is dpkg's order, so reads sort with "order by sort_key, version". SQL cannot compute
-- it: SchemaMigrator fills the rows stored before in a Java step after this script, and
-- ReportWriter sets it on every insert. The statements are idempotent, so a migration that
-- failed during that step (MariaDB has already committed the DDL) can run again.
alter table package_version add column if not exists sort_key varchar(600);
alter table source_package_version add column if not exists sort_key varchar(600);
-- The versions of one package (or source package) under one OS, in dpkg order, straight off the
-- index: the detail pages list them per OS.
create index if not exists ix_package_version_sort on package_version (package_id, os_id, sort_key);
create index if not exists ix_source_package_version_sort on source_package_version (source_package_id, os_id, sort_key);
