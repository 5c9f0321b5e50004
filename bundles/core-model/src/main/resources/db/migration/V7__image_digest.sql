-- Issue #10: the manifest digest an image report carries (an extra key of the v1 payload), so an
-- image reporter can skip unchanged images and a kubernetes snapshot can name an image by digest.
-- Null when the last report carried none.
alter table image add column digest varchar(255);
create index ix_image_digest on image (digest);
