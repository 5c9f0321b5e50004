package io.debmonitor.core.model.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Identifies callers and decides what they may write (SPEC §3.1–§3.2), from the configuration
 * PID {@code io.debmonitor.security}. Used by every bundle that serves HTTP, so the rules exist
 * once.
 *
 * @since 0.1.0
 */
@ProviderType
public interface AccessService {

    /**
     * @param secure       true when the request arrived on the HTTPS port
     * @param certificates the client's certificate chain as TLS presented it (leaf first), or null
     * @param peerAddress  the TCP peer's IP address
     * @param header       request header lookup, case-insensitive, returning null when absent
     * @return the caller; never null
     */
    CallerDTO identify(boolean secure, X509Certificate[] certificates, String peerAddress, Function<String, String> header);

    /**
     * @return null when {@code caller} may create, update or delete the entity, otherwise the
     *         one-sentence reason for a 403
     */
    String writeRefusal(CallerDTO caller, EntityKind kind, String name);

    /**
     * @return null when {@code caller} may post kubernetes snapshots (an identity in
     *         {@code kubernetesReporters}, SPEC §2.7), otherwise the one-sentence reason for a 403
     * @since 0.3.0
     */
    String kubernetesRefusal(CallerDTO caller);

    /**
     * @return true when {@code peerAddress} is in {@code trustedProxies}: a request from there
     *         speaks for someone else, so an allow-list of addresses must not let it through
     * @since 0.3.0
     */
    boolean trustedProxy(String peerAddress);

    /** @return null when the caller has any verified identity, otherwise the reason for a 403 */
    String identityRefusal(CallerDTO caller);

    /**
     * Problems with the client-certificate trust files that an operator should fix but that do not
     * stop this node from serving, such as a CRL whose nextUpdate is near or past, or a changed
     * {@code clientCaFile} or {@code crlFile} that could not be read (the previous one stays in use).
     * Meant for a health endpoint; each entry is one sentence.
     *
     * @return the current warnings, empty when there are none; never null
     * @since 0.2.0
     */
    default List<String> warnings() {
        return List.of();
    }
}
