-- Read-path support for the pages of SPEC §5 and the ingest shortcut for unchanged reports.
--
-- last_full_digest: the digest of the last full report an entity sent, so an unchanged full
-- report (the daily run of most hosts) is recognised without reading its rows; any other report
-- clears it.
-- package_count, upgrade_count, security_count: the entity's row counts, kept by every report,
-- so lists of hosts and images sort and filter by them without aggregating millions of rows.
alter table host add column last_full_digest varchar(64);
alter table host add column package_count int not null default 0;
alter table host add column upgrade_count int not null default 0;
alter table host add column security_count int not null default 0;
-- In the hosts page's default order, so one page is read straight off the index.
create index ix_host_counts on host (security_count desc, upgrade_count desc, package_count desc, name);
alter table image add column last_full_digest varchar(64);
alter table image add column package_count int not null default 0;
alter table image add column upgrade_count int not null default 0;
alter table image add column security_count int not null default 0;
create index ix_image_counts on image (security_count desc, upgrade_count desc, package_count desc, name);
