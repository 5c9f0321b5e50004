package io.debmonitor.core.model.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an audit event records ({@link AuditService}). Stored and logged by {@link #name()}.
 *
 * @since 0.2.0
 */
public enum AuditAction {
    /** A UI password login succeeded; actor: the user; detail: the client address and the roles granted. */
    LOGIN,
    /**
     * A UI password login failed (wrong password, unknown user, no required role); actor: the user
     * name as typed; detail: the client address. Attempts the login throttle refuses unchecked are
     * not recorded, so that a flood of them cannot fill the trail.
     */
    LOGIN_FAILED,
    /** A UI session was ended by its user; actor: the user. */
    LOGOUT,
    /** A host and its package rows were deleted; target: the host's FQDN. */
    HOST_REMOVED,
    /** An image and its package rows were deleted; target: the image reference. */
    IMAGE_REMOVED,
    /** Garbage collection deleted rows, on schedule or by hand; detail: the counts. */
    GC_RUN,
    /** Garbage collection counted what it would delete and changed nothing; detail: the counts. */
    GC_DRY_RUN,
    /** The security settings ({@code io.debmonitor.security}) were changed; detail: what changed. */
    SECURITY_CONFIG_CHANGED,
    /**
     * A CVE exception was accepted ({@link CveExceptionService#accept}); target: the issue; detail:
     * the exception's id, scope, expiry and reason.
     *
     * @since 0.6.0
     */
    CVE_ACCEPTED,
    /**
     * A CVE exception was revoked ({@link CveExceptionService#revoke}); target: the issue; detail:
     * the exception's id and scope.
     *
     * @since 0.6.0
     */
    CVE_REVOKED;

    /**
     * @param text an action's name in any case, with '-' or '_' between words (e.g. {@code login-failed})
     * @return the action
     * @throws IllegalArgumentException naming the valid actions when {@code text} is none of them
     */
    public static AuditAction parse(String text) {
        String name = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (AuditAction action : values()) {
            if (action.name().equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("Unknown audit action '" + text + "'; one of "
                + Arrays.stream(values()).map(AuditAction::name).collect(Collectors.joining(", ")) + ".");
    }
}
