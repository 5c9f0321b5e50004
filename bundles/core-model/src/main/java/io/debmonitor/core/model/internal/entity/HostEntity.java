package io.debmonitor.core.model.internal.entity;

import java.time.LocalDateTime;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

/** Times are UTC. */
@Entity
@Table(name = "host")
public class HostEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 255)
    private String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "os_id")
    private OsEntity os;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "kernel_id")
    private KernelEntity kernel;

    @Column(name = "kernel_release", length = 255)
    private String kernelRelease;

    @Column(name = "package_count", nullable = false)
    private int packageCount;

    @Column(name = "upgrade_count", nullable = false)
    private int upgradeCount;

    @Column(name = "security_count", nullable = false)
    private int securityCount;

    @Column(nullable = false)
    private LocalDateTime created;

    @Column(nullable = false)
    private LocalDateTime modified;

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public OsEntity getOs() {
        return os;
    }

    public KernelEntity getKernel() {
        return kernel;
    }

    public String getKernelRelease() {
        return kernelRelease;
    }

    public int getPackageCount() {
        return packageCount;
    }

    public int getUpgradeCount() {
        return upgradeCount;
    }

    public int getSecurityCount() {
        return securityCount;
    }

    public LocalDateTime getCreated() {
        return created;
    }

    public LocalDateTime getModified() {
        return modified;
    }
}
