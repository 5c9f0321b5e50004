package io.debmonitor.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM certificates and unencrypted private keys: PKCS#1 RSA ({@code RSA PRIVATE KEY}), PKCS#8
 * ({@code PRIVATE KEY}: RSA, RSASSA-PSS, EC, Ed25519, Ed448) and SEC1 EC ({@code EC PRIVATE KEY}).
 * PKCS#1 and SEC1 keys are wrapped into PKCS#8 with a few lines of DER, which java.security reads.
 */
final class Pem {

    /** One PEM block. */
    record Block(String type, byte[] der, boolean encrypted) {
    }

    // DER of the AlgorithmIdentifier OIDs we wrap keys with.
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 1};
    private static final byte[] OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] DER_ZERO = {0x02, 0x01, 0x00};

    private Pem() {
    }

    /** All PEM blocks of a text, in order. */
    static List<Block> blocks(String text) throws ClientException {
        List<Block> blocks = new ArrayList<>();
        int pos = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", pos);
            if (begin < 0) {
                return blocks;
            }
            int typeEnd = text.indexOf("-----", begin + 11);
            if (typeEnd < 0) {
                throw new ClientException("malformed PEM: unterminated BEGIN line");
            }
            String type = text.substring(begin + 11, typeEnd);
            String endMarker = "-----END " + type + "-----";
            int end = text.indexOf(endMarker, typeEnd);
            if (end < 0) {
                throw new ClientException("malformed PEM: no " + endMarker);
            }
            String body = text.substring(typeEnd + 5, end);
            boolean encrypted = type.startsWith("ENCRYPTED") || body.contains("ENCRYPTED");
            StringBuilder base64 = new StringBuilder(body.length());
            for (String line : body.split("\n")) {
                String l = line.strip();
                if (!l.isEmpty() && l.indexOf(':') < 0) { // skip RFC 1421 headers such as Proc-Type
                    base64.append(l);
                }
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                throw new ClientException("malformed PEM " + type + " block: " + e.getMessage(), e);
            }
            blocks.add(new Block(type, der, encrypted));
            pos = end + endMarker.length();
        }
    }

    /** The certificates of a PEM text (a chain or a CA bundle), in order. */
    static List<X509Certificate> certificates(String text) throws ClientException {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory = null;
        for (Block b : blocks(text)) {
            if (!b.type.equals("CERTIFICATE") && !b.type.equals("TRUSTED CERTIFICATE")) {
                continue;
            }
            try {
                if (factory == null) {
                    factory = CertificateFactory.getInstance("X.509");
                }
                Certificate c = factory.generateCertificate(new ByteArrayInputStream(b.der));
                certs.add((X509Certificate) c);
            } catch (GeneralSecurityException e) {
                throw new ClientException("invalid certificate: " + e.getMessage(), e);
            }
        }
        return certs;
    }

    /** The first private key of a PEM text, or null if it holds none. */
    static PrivateKey privateKey(String text) throws ClientException {
        for (Block b : blocks(text)) {
            switch (b.type) {
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> {
                    if (b.encrypted) {
                        throw new ClientException("encrypted private keys are not supported; decrypt the key first");
                    }
                    return decode(b);
                }
                default -> {
                    // certificates, EC PARAMETERS...
                }
            }
        }
        return null;
    }

    private static PrivateKey decode(Block b) throws ClientException {
        byte[] pkcs8;
        switch (b.type) {
            case "RSA PRIVATE KEY" -> pkcs8 = sequence(DER_ZERO, sequence(OID_RSA, DER_NULL), tlv(0x04, b.der));
            case "EC PRIVATE KEY" -> pkcs8 = sequence(DER_ZERO, sequence(OID_EC, sec1Curve(b.der)), tlv(0x04, b.der));
            default -> pkcs8 = b.der;
        }
        String algorithm = algorithm(pkcs8);
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new ClientException("invalid " + b.type + ": " + e.getMessage(), e);
        }
    }

    /** The KeyFactory algorithm of a PKCS#8 PrivateKeyInfo, from its algorithm OID. */
    static String algorithm(byte[] pkcs8) throws ClientException {
        Der info = Der.read(pkcs8, 0);
        Der version = Der.read(pkcs8, info.valueStart);
        Der algId = Der.read(pkcs8, version.end);
        Der oid = Der.read(pkcs8, algId.valueStart);
        if (info.tag != 0x30 || algId.tag != 0x30 || oid.tag != 0x06) {
            throw new ClientException("malformed PKCS#8 private key");
        }
        String dotted = oidString(pkcs8, oid);
        switch (dotted) {
            case "1.2.840.113549.1.1.1":
                return "RSA";
            case "1.2.840.113549.1.1.10":
                return "RSASSA-PSS";
            case "1.2.840.10045.2.1":
                return "EC";
            case "1.3.101.112":
                return "Ed25519";
            case "1.3.101.113":
                return "Ed448";
            default:
                throw new ClientException("unsupported private key algorithm " + dotted);
        }
    }

    /** The curve OID (full TLV) from the [0] parameters of a SEC1 ECPrivateKey. */
    private static byte[] sec1Curve(byte[] sec1) throws ClientException {
        Der key = Der.read(sec1, 0);
        if (key.tag != 0x30) {
            throw new ClientException("malformed EC PRIVATE KEY");
        }
        int pos = key.valueStart;
        while (pos < key.end) {
            Der field = Der.read(sec1, pos);
            if (field.tag == 0xa0) {
                Der oid = Der.read(sec1, field.valueStart);
                if (oid.tag != 0x06) {
                    throw new ClientException("EC PRIVATE KEY with explicit curve parameters is not supported");
                }
                byte[] out = new byte[oid.end - field.valueStart];
                System.arraycopy(sec1, field.valueStart, out, 0, out.length);
                return out;
            }
            pos = field.end;
        }
        throw new ClientException("EC PRIVATE KEY without curve parameters is not supported");
    }

    private static String oidString(byte[] der, Der oid) {
        StringBuilder out = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = oid.valueStart; i < oid.end; i++) {
            value = (value << 7) | (der[i] & 0x7f);
            if ((der[i] & 0x80) == 0) {
                if (first) {
                    long a = Math.min(value / 40, 2);
                    out.append(a).append('.').append(value - a * 40);
                    first = false;
                } else {
                    out.append('.').append(value);
                }
                value = 0;
            }
        }
        return out.toString();
    }

    static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return tlv(0x30, body.toByteArray());
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(len >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    /** One DER element: its tag, where its value starts and where the element ends. */
    static final class Der {
        final int tag;
        final int valueStart;
        final int end;

        private Der(int tag, int valueStart, int end) {
            this.tag = tag;
            this.valueStart = valueStart;
            this.end = end;
        }

        static Der read(byte[] der, int pos) throws ClientException {
            if (pos + 2 > der.length) {
                throw new ClientException("malformed DER: truncated");
            }
            int tag = der[pos] & 0xff;
            int len = der[pos + 1] & 0xff;
            int p = pos + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7f;
                if (bytes == 0 || bytes > 4 || p + bytes > der.length) {
                    throw new ClientException("malformed DER: bad length");
                }
                len = 0;
                for (int i = 0; i < bytes; i++) {
                    len = (len << 8) | (der[p++] & 0xff);
                }
            }
            if (len < 0 || p + len > der.length) {
                throw new ClientException("malformed DER: truncated");
            }
            return new Der(tag, p, p + len);
        }
    }
}
