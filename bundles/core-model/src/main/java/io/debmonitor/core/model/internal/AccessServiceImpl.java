package io.debmonitor.core.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.debmonitor.core.model.api.AccessService;
import io.debmonitor.core.model.api.CallerDTO;
import io.debmonitor.core.model.api.EntityKind;

@Component(service = AccessService.class, configurationPid = "io.debmonitor.security")
@Designate(ocd = SecurityConfiguration.class)
public class AccessServiceImpl implements AccessService {

    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final Logger logger = LoggerFactory.getLogger(AccessServiceImpl.class);

    /** Everything derived from one configuration, swapped atomically on change. */
    private record Settings(Set<TrustAnchor> anchors, List<X509CRL> crls, Set<String> hostProxies,
            Set<String> imageUploaders, Set<String> kubernetesReporters, List<Cidr> trustedProxies) {
    }

    private volatile Settings settings;

    /** Sized for a large fleet: one entry per host certificate, a few KiB each. */
    private final CertificateInterner interner = new CertificateInterner(20_000);

    @Activate
    public AccessServiceImpl(SecurityConfiguration config) {
        modified(config);
    }

    @Modified
    void modified(SecurityConfiguration config) {
        try {
            List<Cidr> proxies = new ArrayList<>();
            for (String entry : entries(config.trustedProxies())) {
                proxies.add(Cidr.parse(entry));
            }
            settings = new Settings(anchors(config.clientCaFile()), crls(config.crlFile()), entries(config.hostProxies()),
                    entries(config.imageUploaders()), entries(config.kubernetesReporters()), proxies);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid io.debmonitor.security configuration: " + e.getMessage(), e);
        }
        logger.info("Security: {} client CA(s), {} CRL(s), {} host proxies, {} image uploaders, {} kubernetes reporters, trusted proxies {}",
                settings.anchors().size(), settings.crls().size(), settings.hostProxies().size(), settings.imageUploaders().size(),
                settings.kubernetesReporters().size(), settings.trustedProxies().isEmpty() ? "off" : settings.trustedProxies());
    }

    @Override
    public CallerDTO identify(boolean secure, X509Certificate[] certificates, String peerAddress, Function<String, String> header) {
        Settings s = settings;
        if (secure) {
            if (certificates == null || certificates.length == 0) {
                return new CallerDTO(Set.of(), null, true, null);
            }
            String failure = validate(s, interned(certificates));
            return failure == null ? new CallerDTO(identities(certificates[0]), null, true, null) : new CallerDTO(Set.of(), failure, true, null);
        }
        if (!isTrustedProxy(s, peerAddress)) {
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
        boolean allowed = kind == EntityKind.HOST
                ? caller.identities().contains(name) || caller.identities().stream().anyMatch(s.hostProxies()::contains)
                : caller.identities().stream().anyMatch(s.imageUploaders()::contains);
        if (allowed) {
            return null;
        }
        return "Unauthorized to modify " + kind.word() + " '" + name + "' with identity '"
                + String.join("', '", new java.util.TreeSet<>(caller.identities())) + "'";
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

    private static String validate(Settings s, X509Certificate[] chain) {
        if (s.anchors().isEmpty()) {
            return "no client CA is configured on this server";
        }
        try {
            List<Certificate> path = new ArrayList<>();
            for (X509Certificate certificate : chain) {
                boolean isAnchor = s.anchors().stream().anyMatch(a -> a.getTrustedCert().equals(certificate));
                if (!isAnchor) {
                    path.add(certificate);
                }
            }
            if (path.isEmpty()) {
                return "a CA certificate is not a client certificate";
            }
            PKIXParameters parameters = new PKIXParameters(s.anchors());
            parameters.setRevocationEnabled(!s.crls().isEmpty());
            if (!s.crls().isEmpty()) {
                parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(s.crls())));
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
            List<String> usages = chain[0].getExtendedKeyUsage();
            if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
                return "the certificate is not valid for client authentication";
            }
            return null;
        } catch (CertPathValidatorException e) {
            return reason(e);
        } catch (GeneralSecurityException e) {
            return "the certificate chain cannot be checked (" + e.getClass().getSimpleName() + ")";
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

    private static Set<TrustAnchor> anchors(String file) throws IOException, GeneralSecurityException {
        Set<TrustAnchor> anchors = new HashSet<>();
        if (file.isBlank()) {
            return anchors;
        }
        try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.add(new TrustAnchor((X509Certificate) certificate, null));
            }
        }
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("clientCaFile " + file + " holds no certificate");
        }
        return anchors;
    }

    private static List<X509CRL> crls(String file) throws IOException, GeneralSecurityException {
        List<X509CRL> crls = new ArrayList<>();
        if (file.isBlank()) {
            return crls;
        }
        try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
            for (java.security.cert.CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                crls.add((X509CRL) crl);
            }
        }
        return crls;
    }
}
