package io.debmonitor.core.model.api;

import java.util.List;

/**
 * An image was not deleted because kubernetes rows reference it (SPEC §1.9, §4).
 *
 * @since 0.2.0
 */
public class EntityInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> clusters;

    /** @param clusters the clusters whose rows reference the image, sorted */
    public EntityInUseException(String image, List<String> clusters) {
        super("Image " + image + " is in use in clusters " + String.join(", ", clusters) + ".");
        this.clusters = List.copyOf(clusters);
    }

    /** @return the clusters whose kubernetes rows reference the image, sorted; never empty */
    public List<String> clusters() {
        return clusters;
    }
}
