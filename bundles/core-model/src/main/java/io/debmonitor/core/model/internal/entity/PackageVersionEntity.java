package io.debmonitor.core.model.internal.entity;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

@Entity
@Table(name = "package_version")
public class PackageVersionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "package_id")
    private PackageEntity pkg;

    @Column(nullable = false, length = 255)
    private String version;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "os_id")
    private OsEntity os;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "source_package_version_id")
    private SourcePackageVersionEntity sourcePackageVersion;

    public Long getId() {
        return id;
    }

    public PackageEntity getPkg() {
        return pkg;
    }

    public String getVersion() {
        return version;
    }

    public OsEntity getOs() {
        return os;
    }

    public SourcePackageVersionEntity getSourcePackageVersion() {
        return sourcePackageVersion;
    }
}
