-- dpkg order in SQL (SPEC §2.5): sort_key is DebianVersion.sortKey(version), an ASCII string whose
-- byte order is dpkg's order, so reads sort with "order by sort_key, version". SQL cannot compute
-- it: rows stored before this version are filled by the Java step that follows (V4), and
-- ReportWriter sets it on every insert.
alter table package_version add column sort_key varchar(600);
alter table source_package_version add column sort_key varchar(600);
-- The versions of one package (or source package) under one OS, in dpkg order, straight off the
-- index: the detail pages list them per OS.
create index ix_package_version_sort on package_version (package_id, os_id, sort_key);
create index ix_source_package_version_sort on source_package_version (source_package_id, os_id, sort_key);
