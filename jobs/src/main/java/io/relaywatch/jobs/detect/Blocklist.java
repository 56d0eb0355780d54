package io.relaywatch.jobs.detect;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the sources of findings into a blocklist: each address or network becomes a range, ranges that touch local or
 * allow-listed networks are dropped (a blocklist must never lock the site out of itself), overlapping and adjacent
 * ranges are merged, and each merged range is cut into the fewest CIDR blocks that cover exactly it.
 */
public final class Blocklist {

    /** One source: an address or CIDR, the rule and finding behind it, and the finding's severity. */
    public record Source(String entity, String rule, String findingId, String severity) {
    }

    /** One blocklist line. */
    public record Entry(String network, long addressCount, Set<String> reasons, Set<String> findingIds,
                        String maxSeverity) {
    }

    private record Range(BigInteger first, BigInteger last, int bits, Set<String> reasons, Set<String> ids,
                         String severity) {
    }

    private Blocklist() {
    }

    public static List<Entry> build(List<Source> sources, Networks local, Networks allowed) {
        List<Range> ranges = new ArrayList<>();
        for (Source s : sources) {
            Range r = range(s);
            if (r == null || touches(r, local) || touches(r, allowed)) {
                continue;
            }
            ranges.add(r);
        }
        ranges.sort(Comparator.comparingInt(Range::bits).thenComparing(Range::first));
        List<Range> merged = new ArrayList<>();
        for (Range r : ranges) {
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.bits() == r.bits() && r.first().compareTo(last.last().add(BigInteger.ONE)) <= 0) {
                last.reasons().addAll(r.reasons());
                last.ids().addAll(r.ids());
                merged.set(merged.size() - 1, new Range(last.first(), last.last().max(r.last()), last.bits(),
                        last.reasons(), last.ids(), moreSevere(last.severity(), r.severity())));
            } else {
                merged.add(new Range(r.first(), r.last(), r.bits(), new LinkedHashSet<>(r.reasons()),
                        new LinkedHashSet<>(r.ids()), r.severity()));
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Range r : merged) {
            Set<String> ids = new LinkedHashSet<>(r.ids().stream().limit(20).toList());
            for (String cidr : cidrs(r.first(), r.last(), r.bits())) {
                long count = BigInteger.ONE.shiftLeft(r.bits() - Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)))
                        .min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
                entries.add(new Entry(cidr, count, r.reasons(), ids, r.severity()));
            }
        }
        return entries;
    }

    private static String moreSevere(String a, String b) {
        return DetectJob.SEVERITIES.indexOf(a) <= DetectJob.SEVERITIES.indexOf(b) ? a : b;
    }

    private static Range range(Source s) {
        String text = s.entity();
        int slash = text.indexOf('/');
        byte[] address = Networks.bytes(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int bits = address.length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        BigInteger base = new BigInteger(1, address);
        BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
        BigInteger first = base.subtract(base.mod(size));
        return new Range(first, first.add(size).subtract(BigInteger.ONE), bits,
                new LinkedHashSet<>(List.of(s.rule())), new LinkedHashSet<>(List.of(s.findingId())), s.severity());
    }

    /** Whether any address of the range is in the networks (checked at both ends and for a covering network). */
    private static boolean touches(Range r, Networks networks) {
        return networks.contains(text(r.first(), r.bits())) || networks.contains(text(r.last(), r.bits()))
                || networks.overlaps(r.first(), r.last(), r.bits());
    }

    /** The fewest CIDR blocks covering exactly [first, last]. */
    static List<String> cidrs(BigInteger first, BigInteger last, int bits) {
        List<String> out = new ArrayList<>();
        BigInteger start = first;
        while (start.compareTo(last) <= 0) {
            int size = start.signum() == 0 ? bits : Math.min(bits, start.getLowestSetBit());
            while (size > 0 && start.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(last) > 0) {
                size--;
            }
            out.add(text(start, bits) + "/" + (bits - size));
            start = start.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    static String text(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] address = new byte[bits / 8];
        int copy = Math.min(raw.length, address.length);
        System.arraycopy(raw, raw.length - copy, address, address.length - copy, copy);
        return Networks.format(address);
    }
}
