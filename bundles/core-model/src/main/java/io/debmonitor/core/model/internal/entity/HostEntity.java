package io.debmonitor.core.model.internal.entity;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

@Entity
@Table(name = "host")
public class HostEntity extends EntityMapping {
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "kernel_id", nullable = false)
    private KernelEntity kernel;

    @Column(name = "kernel_release", length = 255)
    private String kernelRelease;

    @Override
    public EntityDTO toDTO(long containers) {
        return toDTO(EntityKind.HOST, kernel.getName(), kernelRelease, 0, null);
    }
}
