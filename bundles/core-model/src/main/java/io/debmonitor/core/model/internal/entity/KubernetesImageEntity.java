package io.debmonitor.core.model.internal.entity;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

import io.debmonitor.core.model.api.KubernetesRowDTO;

/** How many containers of one image run in one namespace of one cluster. Times are UTC. */
@Entity
@Table(name = "kubernetes_image")
public class KubernetesImageEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 255)
    private String cluster;

    @Column(nullable = false, length = 255)
    private String namespace;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "image_id", nullable = false)
    private ImageEntity image;

    @Column(nullable = false)
    private int containers;

    @Column(nullable = false)
    private Instant modified;

    public KubernetesRowDTO toDTO() {
        return new KubernetesRowDTO(cluster, namespace, image.getName(), image.getOs().getName(), containers, modified);
    }
}
