package io.debmonitor.imagereporter;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.LongAdder;

/** A layer as it is read: counted (for the MiB/s figure) and checked against its sha256 digest at the end. */
final class BlobStream extends FilterInputStream {

    private final String digest;
    private final LongAdder bytesRead;
    private final MessageDigest sha256;

    BlobStream(InputStream in, String digest, LongAdder bytesRead) {
        super(in);
        this.digest = digest;
        this.bytesRead = bytesRead;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
            bytesRead.add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be digested too.
        return transferTo(OutputStream.nullOutputStream(), n);
    }

    private long transferTo(OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[8192];
        long done = 0;
        while (done < limit) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, limit - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left and throws when the content does not match the digest. */
    void verify() throws IOException, RegistryException {
        transferTo(OutputStream.nullOutputStream(), Long.MAX_VALUE);
        String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(digest)) {
            throw new RegistryException("digest mismatch for the layer " + digest + ": the content is " + actual);
        }
    }
}
