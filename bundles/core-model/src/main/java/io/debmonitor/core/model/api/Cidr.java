package io.debmonitor.core.model.api;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address block; a bare address is a block of one. Never resolves names. Used by
 * every allow-list of addresses (trusted proxies, metrics scrapers).
 *
 * @param network the block's address bytes
 * @param prefix  the prefix length in bits
 * @param text    the block as written
 * @since 0.3.0
 */
public record Cidr(byte[] network, int prefix, String text) {

    /**
     * @param text an IP address literal, optionally with {@code /prefix}; never a host name
     * @throws IllegalArgumentException naming the entry when it is not one
     */
    public static Cidr parse(String text) {
        String[] parts = text.strip().split("/", 2);
        byte[] address = literal(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR");
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (parts.length == 2) {
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
        }
        return new Cidr(address, prefix, text);
    }

    /** @return true when {@code address} (a literal) lies in the block; false for null or a name */
    public boolean contains(String address) {
        byte[] other = address == null ? null : literal(address);
        if (other == null || other.length != network.length) {
            return false;
        }
        int shift = network.length * 8 - prefix;
        return new BigInteger(1, other).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
    }

    /** Parses only numeric literals (no DNS): digits, dots, colons and hex; an IPv6 zone ({@code %eth0}) is ignored. */
    private static byte[] literal(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone > 0 && t.contains(":")) {
            t = t.substring(0, zone);
        }
        if (t.isEmpty() || !t.matches("[0-9a-fA-F:.]+") || (!t.contains(":") && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            return null;
        }
        try {
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
