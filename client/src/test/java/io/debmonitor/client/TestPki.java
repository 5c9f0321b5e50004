package io.debmonitor.client;

import java.nio.file.Files;
import java.nio.file.Path;

/** A throw-away CA with a server certificate for localhost and a client certificate, made by openssl. */
final class TestPki {

    final Path dir;
    final Path ca;
    final Path serverCert;
    final Path serverKey;
    final Path clientCert;
    final Path clientKey;
    final Path otherCa;

    TestPki() throws Exception {
        OpenSsl.assumeAvailable();
        dir = Files.createTempDirectory("pki");
        ca = dir.resolve("ca.pem");
        serverCert = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        clientCert = dir.resolve("client.pem");
        clientKey = dir.resolve("client.key");
        otherCa = dir.resolve("other-ca.pem");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost\n");
        OpenSsl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-subj", "/CN=Test CA", "-days", "1");
        OpenSsl.run(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out",
                "other-ca.pem", "-subj", "/CN=Other CA", "-days", "1");
        // Server: SEC1 EC key; client: PKCS#1 RSA key.
        OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server.key");
        OpenSsl.run(dir, "req", "-new", "-key", "server.key", "-subj", "/CN=localhost", "-out", "server.csr");
        OpenSsl.run(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "1", "-extfile", "server.ext", "-out", "server.pem");
        OpenSsl.run(dir, "genrsa", "-traditional", "-out", "client.key", "2048");
        OpenSsl.run(dir, "req", "-new", "-key", "client.key", "-subj", "/CN=client.example.org", "-out", "client.csr");
        OpenSsl.run(dir, "x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "1", "-out", "client.pem");
    }

    void delete() throws Exception {
        OpenSsl.delete(dir);
    }
}
