package io.debmonitor.client;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.Test;

public class PemTest {

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The content of the OCTET STRING in a PKCS#8 PrivateKeyInfo: the PKCS#1 or SEC1 key. */
    static byte[] innerKey(byte[] pkcs8) throws ClientException {
        Pem.Der info = Pem.Der.read(pkcs8, 0);
        Pem.Der version = Pem.Der.read(pkcs8, info.valueStart);
        Pem.Der algorithm = Pem.Der.read(pkcs8, version.end);
        Pem.Der octets = Pem.Der.read(pkcs8, algorithm.end);
        assertEquals(0x04, octets.tag);
        return Arrays.copyOfRange(pkcs8, octets.valueStart, octets.end);
    }

    static byte[] unsigned(BigInteger n, int length) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    public void pkcs1RsaKey() throws Exception {
        KeyPair pair = rsa();
        String text = pem("RSA PRIVATE KEY", innerKey(pair.getPrivate().getEncoded()));
        PrivateKey key = Pem.privateKey(text);
        assertEquals("RSA", key.getAlgorithm());
        RSAPrivateCrtKey expected = (RSAPrivateCrtKey) pair.getPrivate();
        RSAPrivateCrtKey actual = (RSAPrivateCrtKey) key;
        assertEquals(expected.getModulus(), actual.getModulus());
        assertEquals(expected.getPrivateExponent(), actual.getPrivateExponent());
    }

    @Test
    public void pkcs8RsaKey() throws Exception {
        KeyPair pair = rsa();
        PrivateKey key = Pem.privateKey(pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        assertEquals("RSA", key.getAlgorithm());
        assertArrayEquals(pair.getPrivate().getEncoded(), key.getEncoded());
    }

    @Test
    public void pkcs8EcKey() throws Exception {
        KeyPair pair = ec();
        PrivateKey key = Pem.privateKey(pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        assertEquals("EC", key.getAlgorithm());
        assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), ((ECPrivateKey) key).getS());
    }

    @Test
    public void sec1EcKeyWithCurveAndPublicKey() throws Exception {
        KeyPair pair = ec();
        ECPrivateKey priv = (ECPrivateKey) pair.getPrivate();
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        byte[] point = new byte[66];
        point[1] = 0x04; // BIT STRING: no unused bits, then an uncompressed point
        System.arraycopy(unsigned(pub.getW().getAffineX(), 32), 0, point, 2, 32);
        System.arraycopy(unsigned(pub.getW().getAffineY(), 32), 0, point, 34, 32);
        byte[] prime256v1 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
        byte[] sec1 = Pem.sequence(new byte[] {0x02, 0x01, 0x01}, Pem.tlv(0x04, unsigned(priv.getS(), 32)),
                Pem.tlv(0xa0, prime256v1), Pem.tlv(0xa1, Pem.tlv(0x03, Arrays.copyOfRange(point, 1, 66))));
        // openssl writes an EC PARAMETERS block before the key; it must be skipped.
        String text = pem("EC PARAMETERS", prime256v1) + pem("EC PRIVATE KEY", sec1);
        PrivateKey key = Pem.privateKey(text);
        assertEquals("EC", key.getAlgorithm());
        assertEquals(priv.getS(), ((ECPrivateKey) key).getS());
        assertEquals(priv.getParams().getCurve(), ((ECPrivateKey) key).getParams().getCurve());
    }

    @Test
    public void sec1WithoutCurveIsRejected() throws Exception {
        byte[] sec1 = Pem.sequence(new byte[] {0x02, 0x01, 0x01}, Pem.tlv(0x04, new byte[32]));
        try {
            Pem.privateKey(pem("EC PRIVATE KEY", sec1));
            fail();
        } catch (ClientException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("without curve parameters"));
        }
    }

    @Test
    public void encryptedKeysAreRejected() throws Exception {
        try {
            Pem.privateKey(pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
            fail();
        } catch (ClientException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("encrypted"));
        }
        String legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + "AAAA\n-----END RSA PRIVATE KEY-----\n";
        try {
            Pem.privateKey(legacy);
            fail();
        } catch (ClientException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("encrypted"));
        }
    }

    @Test
    public void textWithoutKeyGivesNull() throws Exception {
        assertNull(Pem.privateKey("no pem here"));
        assertTrue(Pem.certificates("no pem here").isEmpty());
    }

    @Test
    public void algorithmComesFromTheOid() throws Exception {
        assertEquals("RSA", Pem.algorithm(rsa().getPrivate().getEncoded()));
        assertEquals("EC", Pem.algorithm(ec().getPrivate().getEncoded()));
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        assertEquals("Ed25519", Pem.algorithm(ed.generateKeyPair().getPrivate().getEncoded()));
    }

    @Test
    public void opensslGeneratedKeysAndCertificate() throws Exception {
        Path dir = Files.createTempDirectory("pem");
        try {
            OpenSsl.assumeAvailable();
            Path rsa = dir.resolve("rsa.pem");
            OpenSsl.run(dir, "genrsa", "-traditional", "-out", rsa.toString(), "2048");
            assertTrue(Files.readString(rsa).contains("BEGIN RSA PRIVATE KEY"));
            assertEquals("RSA", Pem.privateKey(Files.readString(rsa)).getAlgorithm());

            Path sec1 = dir.resolve("ec.pem");
            OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", sec1.toString());
            assertTrue(Files.readString(sec1).contains("BEGIN EC PRIVATE KEY"));
            assertEquals("EC", Pem.privateKey(Files.readString(sec1)).getAlgorithm());

            Path both = dir.resolve("both.pem");
            OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-subj", "/CN=host.example.org", "-days", "1", "-keyout", both.toString(), "-out",
                    dir.resolve("cert.pem").toString());
            String text = Files.readString(both) + Files.readString(dir.resolve("cert.pem"));
            List<java.security.cert.X509Certificate> certs = Pem.certificates(text);
            assertEquals(1, certs.size());
            assertEquals("CN=host.example.org", certs.get(0).getSubjectX500Principal().getName());
            assertEquals("EC", Pem.privateKey(text).getAlgorithm());
        } finally {
            OpenSsl.delete(dir);
        }
    }
}
