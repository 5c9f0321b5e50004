package io.debmonitor.core.model.internal.entity;

import java.io.Serializable;
import java.util.Objects;

import javax.persistence.Column;
import javax.persistence.FetchType;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.MappedSuperclass;

/**
 * The columns the host_package and image_package tables share. Rows are written in bulk by the
 * report writer, read and deleted through JPQL only.
 */
@MappedSuperclass
public abstract class PackageRowMapping {
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "installed_version_id", nullable = false)
    private PackageVersionEntity installed;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "upgrade_version_id")
    private PackageVersionEntity upgrade;

    @Column(name = "upgrade_type", length = 255)
    private String upgradeType;

    /** Composite key of a row: its owning host or image, and the package. */
    public static class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private Long owner;
        private Long pkg;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(owner, key.owner) && Objects.equals(pkg, key.pkg);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, pkg);
        }
    }
}
