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
@Table(name = "kernel")
public class KernelEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 255)
    private String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "os_id")
    private OsEntity os;

    @Column(nullable = false, length = 255)
    private String slug;

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public OsEntity getOs() {
        return os;
    }

    public String getSlug() {
        return slug;
    }
}
