package io.relaywatch.jobs.detect;

import java.io.Serializable;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IPv4/IPv6 networks in CIDR notation, and the address helpers the rules need (is an address inside, the
 * /24 or /64 it belongs to). Addresses are parsed only when they are literals, never resolved: logs hold hostile names.
 */
public final class Networks implements Serializable {

    /** Private, loopback, link-local and unique-local ranges: never "outside", never blocked. */
    public static final List<String> RESERVED = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "127.0.0.0/8", "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10");

    private record Cidr(byte[] network, int prefix) implements Serializable {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> cidrs = new ArrayList<>();

    public Networks(List<String> cidrs) {
        for (String text : cidrs) {
            int slash = text.indexOf('/');
            byte[] address = bytes(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("not a network in CIDR notation: " + text);
            }
            int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("prefix out of range: " + text);
            }
            this.cidrs.add(new Cidr(address, prefix));
        }
    }

    public boolean contains(String ip) {
        byte[] address = bytes(ip);
        if (address == null) {
            return false;
        }
        for (Cidr cidr : cidrs) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any configured network overlaps [first, last] (of an address family with {@code bits} bits). */
    boolean overlaps(BigInteger first, BigInteger last, int bits) {
        for (Cidr cidr : cidrs) {
            if (cidr.network().length * 8 != bits) {
                continue;
            }
            BigInteger size = BigInteger.ONE.shiftLeft(bits - cidr.prefix());
            BigInteger start = new BigInteger(1, cidr.network());
            start = start.subtract(start.mod(size));
            BigInteger end = start.add(size).subtract(BigInteger.ONE);
            if (start.compareTo(last) <= 0 && end.compareTo(first) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP literal, or null for anything else (host names are not resolved). */
    static byte[] bytes(String ip) {
        if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || isDottedQuad(ip))) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static boolean isDottedQuad(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && c != '.') {
                return false;
            }
        }
        return s.chars().filter(c -> c == '.').count() == 3;
    }

    /** The /24 of an IPv4 address or the /64 of an IPv6 one, in CIDR notation; null if not an IP literal. */
    public static String subnetOf(String ip) {
        byte[] address = bytes(ip);
        if (address == null) {
            return null;
        }
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + ".0/24";
        }
        byte[] network = new byte[16];
        System.arraycopy(address, 0, network, 0, 8);
        return format(network) + "/64";
    }

    /** An address in its canonical text form (RFC 5952 for IPv6: lower case, longest zero run as "::"). */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xFF) + "." + (address[1] & 0xFF) + "." + (address[2] & 0xFF) + "." + (address[3] & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /** For sorting and tests: the address as a number. */
    static BigInteger number(String ip) {
        byte[] address = bytes(ip);
        return address == null ? null : new BigInteger(1, address);
    }
}
