package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.AuditAction;
import io.debmonitor.core.model.api.AuditService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.Cidr;
import io.debmonitor.core.model.api.EntityKind;

@Component(service = AccessService.class, configurationPid = "io.debmonitor.security")
@Designate(ocd = SecurityConfiguration.class)
public class AccessServiceImpl implements AccessService {

    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final Logger logger = LoggerFactory.getLogger(AccessServiceImpl.class);

    /** Everything derived from one configuration and the files it names, swapped atomically on change. */
    private record Settings(String clientCaFile, String crlFile, Duration fileCheck, Duration crlWarn, Trust trust,
            Set<String> hostProxies, Set<String> imageUploaders, Set<String> kubernetesReporters, List<Cidr> trustedProxies) {

        Settings with(Trust newTrust) {
            return new Settings(clientCaFile, crlFile, fileCheck, crlWarn, newTrust, hostProxies, imageUploaders,
                    kubernetesReporters, trustedProxies);
        }
    }

    /** The client CAs and CRLs as read from disk, with what the files looked like just before. */
    private record Trust(Set<TrustAnchor> anchors, List<X509CRL> crls, FileStamps stamps) {

        static Trust read(String clientCaFile, String crlFile, FileStamps stamps) {
            return new Trust(readAnchors(clientCaFile), readCrls(crlFile), stamps);
        }

        int revokedCount() {
            return crls.stream().mapToInt(crl -> crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size()).sum();
        }
    }

    /** Size, modification time and inode of a file: enough to notice a rewrite or a rename over it. */
    private record FileStamp(Object fileKey, long size, FileTime lastModified) {

        static final FileStamp UNREADABLE = new FileStamp(null, -1, null);

        static FileStamp of(String file) {
            if (file.isEmpty()) {
                return null;
            }
            try {
                BasicFileAttributes attributes = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
                return new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
            } catch (IOException e) {
                return UNREADABLE;
            }
        }
    }

    private record FileStamps(FileStamp clientCaFile, FileStamp crlFile) {

        static FileStamps of(String clientCaFile, String crlFile) {
            return new FileStamps(FileStamp.of(clientCaFile), FileStamp.of(crlFile));
        }
    }

    /** A changed file that could not be read: its stamps, so it is retried only once it changes again. */
    private record Rejection(FileStamps stamps, String reason) {
    }

    private enum CrlState {
        CURRENT, DUE_SOON, LATE;

        static CrlState of(X509CRL crl, Instant now, Duration warnWindow) {
            Date nextUpdate = crl.getNextUpdate();
            if (nextUpdate == null || !now.isBefore(nextUpdate.toInstant())) {
                return LATE;
            }
            return now.plus(warnWindow).isBefore(nextUpdate.toInstant()) ? CURRENT : DUE_SOON;
        }
    }

    private final Clock clock;
    private volatile Settings settings;
    private volatile Rejection rejected;
    private volatile long nextFileCheckMillis;

    /** Held while the files are checked or the configuration changes; requests never wait for it. */
    private final ReentrantLock fileCheck = new ReentrantLock();
    /** What the log has said about each CRL since it was loaded; guarded by {@link #fileCheck}. */
    private final Map<X509CRL, CrlState> loggedCrlStates = new HashMap<>();

    /** Sized for a large fleet: one entry per host certificate, a few KiB each. */
    private final CertificateInterner interner = new CertificateInterner(20_000);

    @Activate
    public AccessServiceImpl(SecurityConfiguration config) {
        this(config, Clock.systemUTC());
    }

    AccessServiceImpl(SecurityConfiguration config, Clock clock) {
        this.clock = clock;
        apply(config);
    }

    /** A reload to record in the audit trail once the file check's lock is released; guarded by {@link #fileCheck}. */
    private String pendingAudit;

    /** Optional: the access rules must work while the database (and so the audit table) is down. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditService audit;

    @Modified
    void modified(SecurityConfiguration config) {
        String summary = apply(config);
        AuditService audit = this.audit;
        if (audit != null) {
            audit.record("config:io.debmonitor.security", AuditAction.SECURITY_CONFIG_CHANGED, null, summary);
        }
    }

    /** @return the summary of the settings now in force */
    private String apply(SecurityConfiguration config) {
        fileCheck.lock();
        try {
            Settings s = read(config);
            settings = s;
            rejected = null;
            loggedCrlStates.clear();
            Instant now = clock.instant();
            nextFileCheckMillis = now.plus(s.fileCheck()).toEpochMilli();
            String summary = String.format("%d client CA(s), %d CRL(s), %d host proxies, %d image uploaders, %d kubernetes reporters,"
                    + " trusted proxies %s", s.trust().anchors().size(), s.trust().crls().size(), s.hostProxies().size(),
                    s.imageUploaders().size(), s.kubernetesReporters().size(), s.trustedProxies().isEmpty() ? "off" : s.trustedProxies());
            logger.info("Security: {}", summary);
            logCrlStates(s, now);
            return summary;
        } finally {
            fileCheck.unlock();
        }
    }

    private static Settings read(SecurityConfiguration config) {
        try {
            if (config.fileCheckSeconds() < 0) {
                throw new IllegalArgumentException("fileCheckSeconds must be 0 or more, not " + config.fileCheckSeconds());
            }
            if (config.crlWarnHours() < 0) {
                throw new IllegalArgumentException("crlWarnHours must be 0 or more, not " + config.crlWarnHours());
            }
            List<Cidr> proxies = new ArrayList<>();
            for (String entry : entries(config.trustedProxies())) {
                proxies.add(Cidr.parse(entry));
            }
            String clientCaFile = config.clientCaFile().trim();
            String crlFile = config.crlFile().trim();
            Trust trust = Trust.read(clientCaFile, crlFile, FileStamps.of(clientCaFile, crlFile));
            return new Settings(clientCaFile, crlFile, Duration.ofSeconds(config.fileCheckSeconds()), Duration.ofHours(config.crlWarnHours()),
                    trust, entries(config.hostProxies()), entries(config.imageUploaders()), entries(config.kubernetesReporters()), proxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid io.debmonitor.security configuration: " + e.getMessage(), e);
        }
    }

    /** The settings for a request, after reloading the trust files if their check is due and they changed. */
    private Settings current() {
        if (clock.millis() < nextFileCheckMillis || !fileCheck.tryLock()) {
            return settings;
        }
        String reloaded;
        try {
            Instant now = clock.instant();
            if (now.toEpochMilli() >= nextFileCheckMillis) {
                checkFiles(settings, now);
            }
            reloaded = pendingAudit;
            pendingAudit = null;
        } finally {
            fileCheck.unlock();
        }
        // Recorded outside the lock: a slow database delays this one request, never the file checks.
        AuditService audit = this.audit;
        if (reloaded != null && audit != null) {
            audit.record("files:" + settings.clientCaFile() + "," + settings.crlFile(), AuditAction.SECURITY_CONFIG_CHANGED, null, reloaded);
        }
        return settings;
    }

    private void checkFiles(Settings s, Instant now) {
        nextFileCheckMillis = now.plus(s.fileCheck()).toEpochMilli();
        FileStamps stamps = FileStamps.of(s.clientCaFile(), s.crlFile());
        Rejection rejection = rejected;
        if (stamps.equals(s.trust().stamps())) {
            rejected = null;
        } else if (rejection == null || !stamps.equals(rejection.stamps())) {
            reload(s, stamps);
        }
        logCrlStates(settings, now);
    }

    /** A file that cannot be read after a change (often one caught half-written) leaves the previous trust in force. */
    private void reload(Settings s, FileStamps stamps) {
        Trust before = s.trust();
        Trust after;
        try {
            after = Trust.read(s.clientCaFile(), s.crlFile(), stamps);
        } catch (IllegalArgumentException e) {
            rejected = new Rejection(stamps, e.getMessage());
            logger.error("Keeping the previous client CAs and CRLs: {}; retrying when the file changes again", e.getMessage());
            return;
        }
        settings = s.with(after);
        rejected = null;
        loggedCrlStates.clear();
        String summary = String.format("%d client CA(s) (before %d), %d CRL(s) (before %d) with %d revoked certificate(s) (before %d)",
                after.anchors().size(), before.anchors().size(), after.crls().size(), before.crls().size(), after.revokedCount(),
                before.revokedCount());
        logger.info("Reloaded the changed client CA and CRL files: {}", summary);
        pendingAudit = "reloaded: " + summary;
    }

    /** Logs each CRL once per load when it becomes due soon, and again once it is late. */
    private void logCrlStates(Settings s, Instant now) {
        for (X509CRL crl : s.trust().crls()) {
            CrlState state = CrlState.of(crl, now, s.crlWarn());
            if (state != CrlState.CURRENT && loggedCrlStates.put(crl, state) != state) {
                if (state == CrlState.LATE) {
                    logger.error("{}", crlWarning(s, crl, state));
                } else {
                    logger.warn("{}", crlWarning(s, crl, state));
                }
            }
        }
    }

    private static String crlWarning(Settings s, X509CRL crl, CrlState state) {
        String crlName = "The CRL of " + crl.getIssuerX500Principal().getName() + " in " + s.crlFile();
        Date nextUpdate = crl.getNextUpdate();
        if (state == CrlState.DUE_SOON) {
            return crlName + " has nextUpdate " + nextUpdate.toInstant() + ", less than crlWarnHours (" + s.crlWarn().toHours()
                    + ") away: install a newer CRL before then";
        }
        return crlName + (nextUpdate == null ? " has no nextUpdate" : " is past its nextUpdate " + nextUpdate.toInstant())
                + ": the certificates it lists stay refused and all others of that CA are accepted until a newer CRL is installed";
    }

    @Override
    public List<String> warnings() {
        Settings s = current();
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        Rejection rejection = rejected;
        if (rejection != null) {
            warnings.add(rejection.reason() + "; the previous client CAs and CRLs stay in use until the file changes again");
        }
        for (X509CRL crl : s.trust().crls()) {
            CrlState state = CrlState.of(crl, now, s.crlWarn());
            if (state != CrlState.CURRENT) {
                warnings.add(crlWarning(s, crl, state));
            }
        }
        return warnings;
    }

    @Override
    public CallerDTO identify(boolean secure, X509Certificate[] certificates, String peerAddress, Function<String, String> header) {
        if (secure) {
            if (certificates == null || certificates.length == 0) {
                return new CallerDTO(Set.of(), null, true, null);
            }
            String failure = validate(current().trust(), interned(certificates), clock.instant());
            return failure == null ? new CallerDTO(identities(certificates[0]), null, true, null) : new CallerDTO(Set.of(), failure, true, null);
        }
        if (!isTrustedProxy(settings, peerAddress)) {
            return new CallerDTO(Set.of(), null, false, null);
        }
        boolean forwardedSecure = "https".equalsIgnoreCase(header.apply("X-Forwarded-Proto"));
        String verify = header.apply("X-Client-Cert-Verify");
        if (!"SUCCESS".equals(verify)) {
            return new CallerDTO(Set.of(), "X-Client-Cert-Verify is '" + (verify == null ? "" : verify) + "'", forwardedSecure, null);
        }
        String cn = firstCommonName(header.apply("X-Client-Cert-Subject-DN"));
        if (cn == null) {
            return new CallerDTO(Set.of(), "the proxy sent no subject CN", forwardedSecure, null);
        }
        return new CallerDTO(Set.of(cn), null, forwardedSecure, null);
    }

    @Override
    public String writeRefusal(CallerDTO caller, EntityKind kind, String name) {
        String noIdentity = identityRefusal(caller);
        if (noIdentity != null) {
            return noIdentity;
        }
        Settings s = settings;
        boolean allowed = switch (KindDescriptor.of(kind).writers()) {
            case ITSELF_OR_HOST_PROXY -> caller.identities().contains(name) || caller.identities().stream().anyMatch(s.hostProxies()::contains);
            case IMAGE_UPLOADERS -> caller.identities().stream().anyMatch(s.imageUploaders()::contains);
        };
        if (allowed) {
            return null;
        }
        return "Unauthorized to modify " + kind.word() + " '" + name + "' with identity '"
                + String.join("', '", new java.util.TreeSet<>(caller.identities())) + "'";
    }

    @Override
    public boolean trustedProxy(String peerAddress) {
        return isTrustedProxy(settings, peerAddress);
    }

    @Override
    public String kubernetesRefusal(CallerDTO caller) {
        String noIdentity = identityRefusal(caller);
        if (noIdentity != null) {
            return noIdentity;
        }
        if (caller.identities().stream().anyMatch(settings.kubernetesReporters()::contains)) {
            return null;
        }
        return "Unauthorized to post kubernetes snapshots with identity '" + String.join("', '", new java.util.TreeSet<>(caller.identities())) + "'";
    }

    @Override
    public String identityRefusal(CallerDTO caller) {
        if (caller.verified()) {
            return null;
        }
        return "Client certificate validation failed: " + (caller.failure() != null ? caller.failure() : "no client certificate was presented");
    }

    // --- certificates -------------------------------------------------------------------------

    private X509Certificate[] interned(X509Certificate[] chain) {
        X509Certificate[] interned = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            interned[i] = interner.intern(chain[i]);
        }
        return interned;
    }

    private static String validate(Trust trust, X509Certificate[] chain, Instant now) {
        if (trust.anchors().isEmpty()) {
            return "no client CA is configured on this server";
        }
        try {
            List<X509Certificate> path = new ArrayList<>();
            for (X509Certificate certificate : chain) {
                boolean isAnchor = trust.anchors().stream().anyMatch(a -> a.getTrustedCert().equals(certificate));
                if (!isAnchor) {
                    path.add(certificate);
                }
            }
            if (path.isEmpty()) {
                return "a CA certificate is not a client certificate";
            }
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            try {
                CertPathValidator.getInstance("PKIX").validate(certPath, parameters(trust, now, !trust.crls().isEmpty()));
            } catch (CertPathValidatorException e) {
                boolean lateCrl = trust.crls().stream().anyMatch(crl -> CrlState.of(crl, now, Duration.ZERO) == CrlState.LATE);
                if (e.getReason() != CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS || !lateCrl) {
                    return reason(e);
                }
                String refusal = validateWithLateCrls(trust, path, certPath, now);
                if (refusal != null) {
                    return refusal;
                }
            }
            List<String> usages = chain[0].getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
                return "the certificate is not valid for client authentication";
            }
            return null;
        } catch (GeneralSecurityException e) {
            return "the certificate chain cannot be checked (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static PKIXParameters parameters(Trust trust, Instant now, boolean checkRevocation) throws GeneralSecurityException {
        PKIXParameters parameters = new PKIXParameters(trust.anchors());
        parameters.setDate(Date.from(now));
        parameters.setRevocationEnabled(checkRevocation);
        if (checkRevocation) {
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(trust.crls())));
        }
        return parameters;
    }

    /**
     * Java's PKIX ignores a CRL once it is past its nextUpdate (plus 15 minutes of clock skew) and
     * then refuses every certificate of that CA as "revocation status unknown". SPEC §3.1 refuses
     * the certificates listed in crlFile, and a CRL job that stops over a weekend must not lock the
     * whole fleet out, so a late CRL stays in force as it stands: the certificates it lists are
     * refused, the others are accepted, and the log and {@link #warnings()} report it as an error.
     * The rest of the path is still validated by PKIX, only without its revocation check.
     */
    private static String validateWithLateCrls(Trust trust, List<X509Certificate> path, CertPath certPath, Instant now)
            throws GeneralSecurityException {
        PKIXCertPathValidatorResult result;
        try {
            result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, parameters(trust, now, false));
        } catch (CertPathValidatorException e) {
            return reason(e);
        }
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            PublicKey issuerKey = i + 1 < path.size() ? path.get(i + 1).getPublicKey() : result.getTrustAnchor().getTrustedCert().getPublicKey();
            List<X509CRL> issuerCrls = trust.crls().stream()
                    .filter(crl -> crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal()) && isSignedBy(crl, issuerKey))
                    .toList();
            if (issuerCrls.isEmpty()) {
                return "the certificate's revocation status is unknown";
            }
            if (issuerCrls.stream().anyMatch(crl -> crl.isRevoked(certificate))) {
                return "the certificate has been revoked";
            }
        }
        return null;
    }

    private static boolean isSignedBy(X509CRL crl, PublicKey key) {
        try {
            crl.verify(key);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String reason(CertPathValidatorException e) {
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return "the certificate has expired";
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return "the certificate is not yet valid";
        }
        if (reason == CertPathValidatorException.BasicReason.REVOKED) {
            return "the certificate has been revoked";
        }
        if (reason == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            return "the certificate's revocation status is unknown";
        }
        return "the certificate is not issued by a trusted CA";
    }

    static Set<String> identities(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(rdn.getValue().toString());
                }
            }
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))) {
                        names.add((String) alternative.get(1));
                    }
                }
            }
        } catch (InvalidNameException | java.security.cert.CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    /**
     * The first CN of a subject DN in RFC 4514 form ({@code CN=h,O=x}) or OpenSSL's slash form
     * ({@code /O=x/CN=h}). In RFC 4514 the most specific RDN comes first; in slash form, last.
     */
    static String firstCommonName(String dn) {
        if (dn == null || dn.isBlank()) {
            return null;
        }
        String text = dn.trim();
        try {
            if (text.startsWith("/")) {
                for (String part : text.substring(1).split("/")) {
                    int equals = part.indexOf('=');
                    if (equals > 0 && part.substring(0, equals).trim().equalsIgnoreCase("CN")) {
                        String value = part.substring(equals + 1);
                        return value.isEmpty() ? null : value;
                    }
                }
                return null;
            }
            List<Rdn> rdns = new LdapName(text).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    String value = rdns.get(i).getValue().toString();
                    return value.isEmpty() ? null : value;
                }
            }
            return null;
        } catch (InvalidNameException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isTrustedProxy(Settings s, String peer) {
        for (Cidr cidr : s.trustedProxies()) {
            if (cidr.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    // --- configuration ------------------------------------------------------------------------

    /** List settings may arrive as arrays or as one comma-separated string from a .cfg file. */
    static Set<String> entries(String[] values) {
        Set<String> entries = new HashSet<>();
        for (String value : values) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    entries.add(part.trim());
                }
            }
        }
        return entries;
    }

    private static Set<TrustAnchor> readAnchors(String file) {
        if (file.isEmpty()) {
            return Set.of();
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        for (Certificate certificate : parse("clientCaFile", file, in -> CertificateFactory.getInstance("X.509").generateCertificates(in))) {
            anchors.add(new TrustAnchor((X509Certificate) certificate, null));
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("clientCaFile " + file + " holds no certificate");
        }
        return anchors;
    }

    /** An empty file is refused too: it is what a CRL job leaves while it rewrites the file, and it would turn revocation off. */
    private static List<X509CRL> readCrls(String file) {
        if (file.isEmpty()) {
            return List.of();
        }
        List<X509CRL> crls = new ArrayList<>();
        for (java.security.cert.CRL crl : parse("crlFile", file, in -> CertificateFactory.getInstance("X.509").generateCRLs(in))) {
            crls.add((X509CRL) crl);
        }
        if (crls.isEmpty()) {
            throw new IllegalArgumentException("crlFile " + file + " holds no CRL");
        }
        return crls;
    }

    private interface Parser<T> {
        T parse(InputStream in) throws GeneralSecurityException;
    }

    private static <T> T parse(String attribute, String file, Parser<T> parser) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return parser.parse(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(attribute + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(attribute + " " + file + " is not valid (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")", e);
        }
    }
}
