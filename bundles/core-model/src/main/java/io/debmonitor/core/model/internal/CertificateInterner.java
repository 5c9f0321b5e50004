package io.debmonitor.core.model.internal;

import java.nio.ByteBuffer;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands out one certificate object per distinct encoding, so a host's certificate is parsed
 * once and its signature checked once. The JDK's certificate remembers a successful signature
 * check against a given key; each TLS handshake delivers a new object, so without this every
 * report would pay for an ECDSA verification again (about 1 ms of CPU on JDK 17). Validity
 * dates and revocation are still checked on every request by the PKIX validation.
 */
final class CertificateInterner {

    private final Map<ByteBuffer, X509Certificate> certificates;

    CertificateInterner(int capacity) {
        this.certificates = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, X509Certificate> eldest) {
                return size() > capacity;
            }
        };
    }

    X509Certificate intern(X509Certificate certificate) {
        ByteBuffer key;
        try {
            key = ByteBuffer.wrap(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            return certificate;
        }
        synchronized (certificates) {
            return certificates.computeIfAbsent(key, k -> certificate);
        }
    }
}
