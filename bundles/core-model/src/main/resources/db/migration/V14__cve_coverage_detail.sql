-- Issue #12: an entity's CVE coverage (CVE.md §9: not-assessed counts and sources) as the refresher
-- last computed it (JSON, gzip, base64), so that its CVE tab is served from the stored findings and
-- judges only the page's sources. Null until the next refresh (every entity is marked for one, which
-- rewrites no finding that did not change) or when too long: the tab then judges every source.
alter table host add column cve_coverage_detail text;
alter table image add column cve_coverage_detail text;
update host set cve_pending = cve_pending + 1;
update image set cve_pending = cve_pending + 1;
