package io.relaywatch.jobs.detect;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The autonomous system of an address, from the ip-location-db IP-to-ASN range files ({@code asn-ipv4-num.csv}:
 * first,last,asn,organisation with numeric IPv4 bounds; {@code asn-ipv6.csv} with IPv6 text bounds). No MMDB with ASNs
 * is served by the registries this build reaches, so the ranges are loaded into sorted arrays and searched by binary
 * search; loaded once per JVM and directory.
 */
public final class AsnRanges implements Serializable {

    /** The system property the launcher and the tests set to the folder holding the range files. */
    public static final String DIRECTORY_PROPERTY = "relaywatch.geoip.asn";

    private static final Map<String, Table> LOADED = new ConcurrentHashMap<>();

    private final String directory;

    /** Sorted ranges of one address family. */
    private record Table(BigInteger[] firsts, BigInteger[] lasts, long[] asns, String[] orgs) {
    }

    private AsnRanges(String directory) {
        this.directory = directory;
    }

    /** The ranges in the configured folder, else the one named by the system property; null if there are none. */
    public static AsnRanges open(String configured) {
        String dir = configured != null ? configured : System.getProperty(DIRECTORY_PROPERTY);
        return dir != null && new File(dir, "asn-ipv4-num.csv").isFile() ? new AsnRanges(dir) : null;
    }

    /** "AS4837 CHINA UNICOM China169 Backbone", or null when the address is not in any range or not an IP literal. */
    public String asn(String ip) {
        byte[] bytes = Networks.bytes(ip);
        if (bytes == null) {
            return null;
        }
        Table table = LOADED.computeIfAbsent(directory + (bytes.length == 4 ? "/v4" : "/v6"),
                key -> load(Path.of(directory), bytes.length == 4));
        BigInteger address = new BigInteger(1, bytes);
        int at = Arrays.binarySearch(table.firsts(), address);
        int candidate = at >= 0 ? at : -at - 2;
        if (candidate < 0 || table.lasts()[candidate].compareTo(address) < 0) {
            return null;
        }
        String org = table.orgs()[candidate];
        return "AS" + table.asns()[candidate] + (org.isEmpty() ? "" : " " + org);
    }

    private static Table load(Path directory, boolean v4) {
        Path file = directory.resolve(v4 ? "asn-ipv4-num.csv" : "asn-ipv6.csv");
        List<BigInteger> firsts = new ArrayList<>();
        List<BigInteger> lasts = new ArrayList<>();
        List<Long> asns = new ArrayList<>();
        List<String> orgs = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    List<String> f = io.relaywatch.parsers.Csv.split(line, 0, ',');
                    if (f.size() < 3) {
                        continue;
                    }
                    BigInteger first = bound(f.get(0), v4);
                    BigInteger last = bound(f.get(1), v4);
                    Long asn = io.relaywatch.parsers.Values.toLong(f.get(2));
                    if (first == null || last == null || asn == null) {
                        continue;
                    }
                    firsts.add(first);
                    lasts.add(last);
                    asns.add(asn);
                    orgs.add(f.size() > 3 ? f.get(3).intern() : "");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        Integer[] order = new Integer[firsts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> firsts.get(a).compareTo(firsts.get(b)));
        BigInteger[] f = new BigInteger[order.length];
        BigInteger[] l = new BigInteger[order.length];
        long[] a = new long[order.length];
        String[] o = new String[order.length];
        for (int i = 0; i < order.length; i++) {
            f[i] = firsts.get(order[i]);
            l[i] = lasts.get(order[i]);
            a[i] = asns.get(order[i]);
            o[i] = orgs.get(order[i]);
        }
        return new Table(f, l, a, o);
    }

    private static BigInteger bound(String text, boolean v4) {
        if (v4) {
            Long n = io.relaywatch.parsers.Values.toLong(text);
            return n == null ? null : BigInteger.valueOf(n);
        }
        byte[] bytes = Networks.bytes(text);
        return bytes == null ? null : new BigInteger(1, bytes);
    }
}
