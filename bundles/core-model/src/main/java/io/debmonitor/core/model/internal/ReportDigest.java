package io.debmonitor.core.model.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.debmonitor.core.model.api.InstalledDTO;
import io.debmonitor.core.model.api.ReportDTO;
import io.debmonitor.core.model.api.UpgradableDTO;

/** SHA-256 over everything a full report says, in order; equal digests mean equal reports. */
final class ReportDigest {

    private ReportDigest() {
    }

    static String of(ReportDTO report) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
        Feed feed = new Feed(sha);
        feed.add(report.os()).add(report.updateType().wireName()).add(report.kernelVersion()).add(report.kernelRelease());
        for (InstalledDTO item : report.installed()) {
            feed.add("i").add(item.name()).add(item.version()).add(item.source()).add(item.sourceVersion());
        }
        for (String name : report.uninstalled()) {
            feed.add("r").add(name);
        }
        for (UpgradableDTO item : report.upgradable()) {
            feed.add("u").add(item.name()).add(item.versionFrom()).add(item.versionTo()).add(item.source())
                    .add(item.sourceVersion()).add(item.type());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Writes each value with its length, so no two different sequences feed the same bytes. */
    private record Feed(MessageDigest sha) {
        Feed add(String value) {
            if (value == null) {
                sha.update((byte) 0);
                return this;
            }
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            sha.update((byte) 1);
            sha.update(new byte[] {(byte) (bytes.length >>> 8), (byte) bytes.length});
            sha.update(bytes);
            return this;
        }
    }
}
