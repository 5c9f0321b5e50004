package io.debmonitor.core.model.internal.entity;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.IdClass;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

/** One package on one host. Written in bulk by the report writer; read through JPA. */
@Entity
@Table(name = "host_package")
@IdClass(HostPackageEntity.Key.class)
public class HostPackageEntity {
    @Id
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "host_id")
    private HostEntity host;

    @Id
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "package_id")
    private PackageEntity pkg;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "installed_version_id")
    private PackageVersionEntity installed;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "upgrade_version_id")
    private PackageVersionEntity upgrade;

    @Column(name = "upgrade_type", length = 255)
    private String upgradeType;

    public HostEntity getHost() {
        return host;
    }

    public PackageEntity getPkg() {
        return pkg;
    }

    public PackageVersionEntity getInstalled() {
        return installed;
    }

    public PackageVersionEntity getUpgrade() {
        return upgrade;
    }

    public String getUpgradeType() {
        return upgradeType;
    }

    /** Composite key: the owning host and the package. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private Long host;
        private Long pkg;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(host, key.host) && Objects.equals(pkg, key.pkg);
        }

        @Override
        public int hashCode() {
            return Objects.hash(host, pkg);
        }
    }
}
