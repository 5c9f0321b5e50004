-- The audit trail (issue #11): one row per login (failed ones too), logout, removal of a host or
-- an image, garbage collection run and change of the security settings. Rows are only ever
-- inserted; nothing deletes them yet (no retention).
--
-- created: UTC. actor: who acted, as '<channel>:<name>' (e.g. 'ui:alice', 'shell:karaf',
-- 'cert:host1.example.org', 'gc:schedule'). action: a name of the AuditAction enum. target: what
-- was acted on, or null. detail: free text, or null. The service truncates longer values.
create table audit_event (
    id bigint auto_increment primary key,
    created datetime(3) not null,
    actor varchar(255) not null,
    action varchar(64) not null,
    target varchar(255),
    detail varchar(1000)
)${table_options};
-- The listing reads newest first.
create index ix_audit_event_created on audit_event (created);
