-- Scheduled jobs record the slot they finished, not only the one they started (SCALEOUT.md §2.4):
-- a slot whose runner died before the end stays pending, and another node's watchdog resumes it
-- once the lease has expired. Slots started before this version count as finished.
alter table job_lease add column if not exists slot_done datetime(3);
update job_lease set slot_done = last_slot;
