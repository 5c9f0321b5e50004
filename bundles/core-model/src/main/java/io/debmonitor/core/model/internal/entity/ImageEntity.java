package io.debmonitor.core.model.internal.entity;

import javax.persistence.Entity;
import javax.persistence.Table;

import io.debmonitor.core.model.api.EntityDTO;
import io.debmonitor.core.model.api.EntityKind;

@Entity
@Table(name = "image")
public class ImageEntity extends EntityMapping {

    /** @param containers the sum of the image's kubernetes container counts */
    public EntityDTO toDTO(long containers) {
        return toDTO(EntityKind.IMAGE, null, null, containers);
    }
}
