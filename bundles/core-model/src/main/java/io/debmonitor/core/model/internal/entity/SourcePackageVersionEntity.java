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
@Table(name = "source_package_version")
public class SourcePackageVersionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "source_package_id")
    private SourcePackageEntity sourcePackage;

    @Column(nullable = false, length = 255)
    private String version;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "os_id")
    private OsEntity os;

    public Long getId() {
        return id;
    }

    public SourcePackageEntity getSourcePackage() {
        return sourcePackage;
    }

    public String getVersion() {
        return version;
    }

    public OsEntity getOs() {
        return os;
    }
}
