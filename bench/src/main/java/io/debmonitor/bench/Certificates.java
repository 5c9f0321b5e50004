package io.debmonitor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The benchmark's PKI: one CA and one client certificate per host (CN and DNS SAN = host name,
 * EKU clientAuth), all with EC P-256 keys or all with RSA 2048 keys. All hosts share one key pair, which is fine for a benchmark and
 * saves a key generation per host.
 *
 * <p>Layout of the cache directory: {@code ca.pem}, {@code ca.key}, {@code client.key} and {@code client.pub} are
 * created once and reused, so the server's {@code clientCaFile} stays valid across runs;
 * {@code hosts-s<seed>-n<count>-<domain>.pem} holds the host certificates of one fleet, in fleet order.
 */
final class Certificates {

    private static final Duration VALIDITY = Duration.ofDays(3650);

    final Path caFile;
    final X509Certificate ca;
    final PrivateKey clientKey;
    private final Map<String, X509Certificate> byHost;

    private Certificates(Path caFile, X509Certificate ca, PrivateKey clientKey, Map<String, X509Certificate> byHost) {
        this.caFile = caFile;
        this.ca = ca;
        this.clientKey = clientKey;
        this.byHost = byHost;
    }

    X509Certificate certificate(String fqdn) {
        X509Certificate certificate = byHost.get(fqdn);
        if (certificate == null) {
            throw new IllegalArgumentException("no certificate for " + fqdn);
        }
        return certificate;
    }

    /** Loads the fleet's certificates from {@code dir}, issuing whatever is missing. */
    static Certificates loadOrCreate(Path dir, String keyType, long seed, String domain, List<Fleet.Host> hosts, java.io.PrintStream log)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path caPem = dir.resolve("ca.pem").toAbsolutePath();
        Path caKeyPem = dir.resolve("ca.key");
        Path clientKeyPem = dir.resolve("client.key");
        X509Certificate ca;
        PrivateKey caKey;
        if (Files.exists(caPem) && Files.exists(caKeyPem)) {
            ca = readCertificates(caPem).get(0);
            caKey = readKey(caKeyPem);
        } else {
            KeyPair pair = newKeyPair(keyType);
            ca = issue(new X500Principal("CN=DebMonitor Bench CA,O=DebMonitor bench"), pair.getPublic(), null, pair.getPrivate(), null);
            caKey = pair.getPrivate();
            writePem(caKeyPem, pair.getPrivate());
            writePem(caPem, ca);
            log.println("Created the bench CA " + caPem);
        }
        Path clientPublicPem = dir.resolve("client.pub");
        KeyPair client;
        if (Files.exists(clientKeyPem) && Files.exists(clientPublicPem)) {
            client = new KeyPair(readPublicKey(clientPublicPem), readKey(clientKeyPem));
        } else {
            client = newKeyPair(keyType);
            writePem(clientKeyPem, client.getPrivate());
            writePem(clientPublicPem, client.getPublic());
        }

        Path fleetPem = dir.resolve("hosts-s" + seed + "-n" + hosts.size() + "-" + domain + ".pem");
        Map<String, X509Certificate> byHost = new HashMap<>();
        if (Files.exists(fleetPem)) {
            for (X509Certificate c : readCertificates(fleetPem)) {
                byHost.put(commonName(c), c);
            }
            boolean usable = byHost.size() == hosts.size() && hosts.stream().allMatch(h -> byHost.containsKey(h.fqdn()))
                    && byHost.values().stream().allMatch(c -> issuedBy(c, ca) && c.getNotAfter().after(new Date())
                            && c.getPublicKey().equals(client.getPublic()));
            if (usable) {
                return new Certificates(caPem, ca, client.getPrivate(), byHost);
            }
            byHost.clear();
        }
        PublicKey clientPublic = client.getPublic();
        long start = System.nanoTime();
        StringWriter all = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(all)) {
            for (Fleet.Host host : hosts) {
                X509Certificate c = issue(new X500Principal("CN=" + host.fqdn()), clientPublic, ca, caKey, host.fqdn());
                byHost.put(host.fqdn(), c);
                pem.writeObject(c);
            }
        }
        Path tmp = Files.createTempFile(dir, "hosts", ".tmp");
        Files.writeString(tmp, all.toString());
        Files.move(tmp, fleetPem, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.printf("Issued %d host certificates in %.1f s (%s)%n", hosts.size(), (System.nanoTime() - start) / 1e9, fleetPem);
        return new Certificates(caPem, ca, client.getPrivate(), byHost);
    }

    /** The first CN of the subject: the host name the certificate was issued for. */
    private static String commonName(X509Certificate c) {
        try {
            List<Rdn> rdns = new LdapName(c.getSubjectX500Principal().getName()).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
                    return rdns.get(i).getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // not one of ours; it will fail the completeness check
        }
        return "";
    }

    private static boolean issuedBy(X509Certificate c, X509Certificate ca) {
        try {
            c.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyPair newKeyPair(String keyType) throws GeneralSecurityException {
        if (keyType.equals("rsa")) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A CA certificate when {@code dnsName} is null, otherwise a client certificate for it. */
    private static X509Certificate issue(X500Principal subject, PublicKey key, X509Certificate issuer, PrivateKey signingKey,
                                         String dnsName) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X500Principal issuerName = issuer == null ? subject : issuer.getSubjectX500Principal();
        BigInteger serial = new BigInteger(64, new java.security.SecureRandom()).setBit(63);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, key);
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(key));
        if (issuer == null) {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder(
                    signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA").build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new java.util.ArrayList<>();
            for (Certificate c : factory.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + pem);
            }
            return out;
        }
    }

    private static PrivateKey readKey(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof PrivateKeyInfo info)) {
                throw new IOException(pem + " does not hold a PKCS#8 private key");
            }
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }

    private static PublicKey readPublicKey(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (!(object instanceof SubjectPublicKeyInfo info)) {
                throw new IOException(pem + " does not hold a public key");
            }
            return new JcaPEMKeyConverter().getPublicKey(info);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            if (object instanceof PrivateKey key) {
                pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
            } else {
                pem.writeObject(object);
            }
        }
    }
}
