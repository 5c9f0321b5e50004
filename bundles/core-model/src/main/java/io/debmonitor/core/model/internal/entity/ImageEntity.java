package io.debmonitor.core.model.internal.entity;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

@Entity
@Table(name = "image")
public class ImageEntity extends EntityMapping {

    @Column(length = 255)
    private String digest;

    @Override
    public EntityDTO toDTO(long containers) {
        return toDTO(EntityKind.IMAGE, null, null, containers, digest);
    }
}
