package io.relaywatch.jobs.detect;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Country lookups in an MMDB file through MaxMind's {@link Reader} (the low-level reader reads any MMDB, including the
 * free country databases whose type geoip2's typed reader refuses). Private, loopback and other reserved addresses
 * are labelled as such instead of being looked up. One open reader per file and JVM, shared by the tasks.
 */
public final class GeoIp implements Serializable {

    /** The system property the launcher and the tests set to the bundled country database. */
    public static final String COUNTRY_DB_PROPERTY = "relaywatch.geoip.country";

    private static final Map<String, Reader> OPEN = new ConcurrentHashMap<>();
    private static final Networks PRIVATE = new Networks(java.util.List.of("10.0.0.0/8", "172.16.0.0/12",
            "192.168.0.0/16", "fc00::/7"));
    private static final Networks SHARED = new Networks(java.util.List.of("100.64.0.0/10"));
    private static final Networks LOOPBACK = new Networks(java.util.List.of("127.0.0.0/8", "::1/128"));
    private static final Networks RESERVED = new Networks(java.util.List.of("0.0.0.0/8", "169.254.0.0/16",
            "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3", "fe80::/10", "2001:db8::/32"));

    private final String path;

    private GeoIp(String path) {
        this.path = path;
    }

    /** The database named in the config, else by the system property; {@code null} when neither file exists. */
    public static GeoIp open(String configured) {
        String path = configured != null ? configured : System.getProperty(COUNTRY_DB_PROPERTY);
        return path != null && new File(path).isFile() ? new GeoIp(path) : null;
    }

    public String path() {
        return path;
    }

    /**
     * ISO country code of an address, or a label: {@code private} (RFC 1918, unique-local), {@code cgnat} (RFC 6598
     * shared space of carrier-grade NAT: an ISP's customers, not ours), {@code loopback},
     * {@code reserved} (documentation, link-local, multicast); {@code null} when the database does not know it or
     * the text is not an IP literal.
     */
    public String country(String ip) {
        byte[] bytes = Networks.bytes(ip);
        if (bytes == null) {
            return null;
        }
        if (LOOPBACK.contains(ip)) {
            return "loopback";
        }
        if (PRIVATE.contains(ip)) {
            return "private";
        }
        if (SHARED.contains(ip)) {
            return "cgnat";
        }
        if (RESERVED.contains(ip)) {
            return "reserved";
        }
        try {
            Map<?, ?> record = reader().get(InetAddress.getByAddress(bytes), Map.class);
            if (record == null) {
                return null;
            }
            Object code = record.get("country_code");
            if (code == null && record.get("country") instanceof Map<?, ?> country) {
                code = country.get("iso_code"); // GeoIP2/GeoLite2-shaped databases
            }
            return code == null ? null : code.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("GeoIP lookup in " + path + " failed", e);
        }
    }

    private Reader reader() {
        return OPEN.computeIfAbsent(path, p -> {
            try {
                return new Reader(new File(p), new CHMCache());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open GeoIP database " + p, e);
            }
        });
    }
}
