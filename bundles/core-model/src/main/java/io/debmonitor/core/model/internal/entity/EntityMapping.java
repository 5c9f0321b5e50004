package io.debmonitor.core.model.internal.entity;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.MappedSuperclass;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

/** The columns the host and image tables share. Times are UTC. */
@MappedSuperclass
public abstract class EntityMapping {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 255)
    private String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "os_id", nullable = false)
    private OsEntity os;

    @Column(name = "package_count", nullable = false)
    private int packageCount;

    @Column(name = "upgrade_count", nullable = false)
    private int upgradeCount;

    @Column(name = "security_count", nullable = false)
    private int securityCount;

    /** Maintained by the CVE refresher only. */
    @Column(name = "cve_counted", nullable = false, insertable = false, updatable = false)
    private int cveCounted;

    @Column(name = "cve_fixable", nullable = false, insertable = false, updatable = false)
    private int cveFixable;

    @Column(nullable = false)
    private Instant created;

    @Column(nullable = false)
    private Instant modified;

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public OsEntity getOs() {
        return os;
    }

    /** @param containers the sum of the entity's kubernetes container counts (0 for a kind that has none) */
    public abstract EntityDTO toDTO(long containers);

    protected EntityDTO toDTO(EntityKind kind, String kernel, String kernelRelease, long containers, String digest) {
        return new EntityDTO(kind, name, os.getName(), kernel, kernelRelease, created, modified, packageCount, upgradeCount,
                securityCount, containers, digest, cveCounted, cveFixable);
    }
}
