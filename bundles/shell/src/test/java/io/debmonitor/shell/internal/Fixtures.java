package io.debmonitor.shell.internal;

import java.time.Instant;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

final class Fixtures {

    static final Instant CREATED = Instant.parse("2026-11-01T08:00:00.250Z");
    static final Instant MODIFIED = Instant.parse("2026-12-04T10:15:30.999Z");

    private Fixtures() {
    }

    static EntityDTO host(String name, long packages, long upgrades, long security) {
        return new EntityDTO(EntityKind.HOST, name, "Debian 12", "6.1.0-18-amd64", "6.1.76-1", CREATED, MODIFIED, packages, upgrades, security, 0);
    }

    static EntityDTO image(String ref, long packages, long containers) {
        return new EntityDTO(EntityKind.IMAGE, ref, "Debian 12", null, null, CREATED, MODIFIED, packages, 0, 0, containers);
    }
}
