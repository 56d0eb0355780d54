package io.relaywatch.jobs.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * What every generated site shares: the seeded randomness, the clock, the run (stories planned first, then background
 * traffic slot by slot to fill {@code --scale}), the stories with their expected findings, the benign entities, and
 * the outputs ({@code detect.json}, {@code ground-truth.json}). A site says which files it writes, its stories, its
 * kinds of background traffic with their shares and daily profiles, and its detection config.
 */
abstract class Site {

    static final long SLOT = 10 * 60_000L;

    /** First octets for random internet addresses: none of the story, partner, crawler or reserved blocks. */
    static final int[] OCTETS;

    static {
        Set<Integer> avoid = Set.of(2, 10, 45, 66, 67, 80, 81, 89, 100, 109, 127, 141, 169, 171, 172, 175, 185, 192,
                193, 198, 202, 203, 216);
        int[] all = new int[223];
        int n = 0;
        for (int o = 11; o <= 223; o++) {
            if (!avoid.contains(o)) {
                all[n++] = o;
            }
        }
        OCTETS = java.util.Arrays.copyOf(all, n);
    }

    static final String[] SURNAMES = {"meier", "wolf", "koch", "bauer", "schmidt", "fischer", "weber",
        "becker", "wagner", "schulz", "hoffmann", "klein", "richter", "lange", "krause", "braun", "zimmer", "hartmann",
        "lehmann", "schmitt", "werner", "krueger", "neumann", "schwarz", "zimmermann", "hofmann", "koenig", "walter",
        "maier", "mayer", "huber", "kaiser", "fuchs", "peters", "lang", "scholz", "moeller", "weiss", "jung", "hahn",
        "schubert", "vogel", "friedrich", "keller", "guenther", "frank", "berger", "winkler", "roth", "beck",
        "lorenz", "baumann", "franke", "albrecht", "schuster", "simon", "ludwig", "boehm", "winter", "kraus",
        "martin", "schumacher", "kraemer", "vogt"};
    static final String[] BASE_DOMAINS = {"mailbox-provider.example", "partner-logistics.example",
        "supplier-one.example", "shop-a.example", "freemail.example", "city-council.example",
        "lawyers-and-co.example", "insurance-direct.example"};
    // pools the seed chooses from: documentation ranges, CGNAT, and blocks the MaxMind test databases cover
    static final String[] STOLEN_NETS = {"175.16.199", "81.2.69", "89.160.20", "2.125.160", "67.43.156"};
    static final String[] PROBE_NETS = {"45.155.205", "45.142.120", "193.32.162", "141.98.10", "80.94.95"};
    static final String[] RELAY_NETS = {"100.64.23", "100.71.8", "100.88.140", "100.101.7", "100.120.66", "100.66.200"};
    static final double[] OFFICE = {1, 1, 1, 1, 1, 2, 4, 10, 16, 18, 18, 16, 12, 16, 18, 16, 14, 10, 6, 4, 3,
        2, 2, 1};
    static final char[] HEX = "0123456789ABCDEF".toCharArray();
    static final char[] ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    // delivery outcomes
    static final int LOCAL = 0;
    static final int SENT = 1;
    static final int DEFERRED = 2;
    static final int BOUNCED = 3;

    /** One recipient of a message and what happens to it. */
    record Rcpt(String address, int kind, String relayHost, String relayIp, String reply) {
    }

    /** One message of an SMTP session. */
    record Msg(String sender, List<Rcpt> rcpts) {
    }

    /**
     * A kind of background traffic: its share of the background lines, whether it follows office hours (else it is
     * flat), and one unit of it at a given time.
     */
    record Kind(double share, boolean office, LongConsumer unit) {
    }

    /** An injected story, its expected findings and when it happened. */
    static final class Story {
        final String id;
        final String description;
        final List<Map<String, String>> expected = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        Story(String id, String description) {
            this.id = id;
            this.description = description;
        }

        Story expect(String rule, String entityType, String entity) {
            expected.add(entry("rule", rule, "entity_type", entityType, "entity", entity));
            return this;
        }
    }

    final Generator.Options o;
    final SplittableRandom r;
    final Clock clock;
    final long start;
    final long end;
    final double hours;
    /** From here on, remote servers refuse the site's abusive mail citing blocklists. */
    final long blacklistedFrom;
    long emitted;
    Story current;
    final List<Story> stories = new ArrayList<>();
    final List<Map<String, String>> benign = new ArrayList<>();
    final List<LogFile> files = new ArrayList<>();
    final StringBuilder b = new StringBuilder(512);
    /** The background traffic, for sites that describe it as kinds (else they override the three methods below). */
    Kind[] kinds;

    // the outside world: mail domains and their MX hosts
    String[] domains;
    String[] domainMx;
    String[] domainMxIp;

    Site(Generator.Options o) {
        this.o = o;
        this.r = new SplittableRandom(o.seed());
        this.clock = new Clock(o.start(), o.days());
        this.start = clock.startMs;
        this.end = start + o.days() * Clock.DAY;
        this.hours = o.days() * 24.0;
        this.blacklistedFrom = at(0.5 * hours);
    }

    // --- what a site says -------------------------------------------------------------------------------------------

    /** Opens the site's files (and writes their leading headers). */
    abstract void openFiles(Path logs) throws IOException;

    /** Plans the stories and one-off benign events; their lines wait in the files' story queues. */
    abstract void planStories();

    /** The shares of the background lines, one per kind of background traffic. */
    double[] shares() {
        double[] shares = new double[kinds.length];
        for (int g = 0; g < kinds.length; g++) {
            shares[g] = kinds[g].share();
        }
        return shares;
    }

    /** The relative activity of background kind {@code generator} in the slot starting at {@code slotStart}. */
    double weight(int generator, long slotStart) {
        return kinds[generator].office() ? officeWeight(slotStart) : 1.0;
    }

    /**
     * One unit of background kind {@code generator} at {@code t}. A unit's mail is delivered within seconds: one
     * started at most a minute before the end of the period ends within it.
     */
    void background(int generator, long t) {
        kinds[generator].unit().accept(Math.min(t, end - 60_000L));
    }

    /** The content of {@code detect.json}. */
    abstract Map<String, Object> config();

    /** Lines a site writes after the last slot ({@link #finish}), counted against the scale. */
    long trailerLines() {
        return 0;
    }

    /** Called for each file before it is closed. */
    void finish(LogFile f) throws IOException {
    }

    // --- the run ----------------------------------------------------------------------------------------------------

    final Generator.Result run() throws IOException {
        long t0 = System.nanoTime();
        Path logs = o.out().resolve("logs");
        openFiles(logs);

        // the stories and one-off benign events are planned first (their size does not depend on --scale)
        files.forEach(f -> f.planning(true));
        planStories();
        files.forEach(f -> f.planning(false));
        long planned = emitted;

        // background traffic fills the rest, slot by slot, each kind by its share and daily profile
        long headers = trailerLines();
        for (LogFile f : files) {
            headers += f.lines() + f.expectedHeaders(start, end);
        }
        double background = Math.max(0, o.scale() - planned - headers);
        double[] shares = shares();
        int slots = o.days() * 144;
        double[][] cumulative = new double[shares.length][slots + 1];
        for (int g = 0; g < shares.length; g++) {
            for (int s = 0; s < slots; s++) {
                cumulative[g][s + 1] = cumulative[g][s] + weight(g, start + s * SLOT);
            }
        }
        long[] produced = new long[shares.length];
        for (int s = 0; s < slots; s++) {
            long slotStart = start + s * SLOT;
            for (int g = 0; g < shares.length; g++) {
                double target = background * shares[g] * cumulative[g][s + 1] / cumulative[g][slots];
                while (produced[g] < target) {
                    long before = emitted;
                    background(g, slotStart + r.nextLong(SLOT));
                    produced[g] += emitted - before;
                }
            }
            for (LogFile f : files) {
                f.flushBefore(slotStart + SLOT);
            }
        }
        for (LogFile f : files) {
            finish(f);
            f.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Generator.FileStat> stats = new ArrayList<>();
        long total = 0;
        for (LogFile f : files) {
            for (LogFile.Part p : f.parts()) {
                stats.add(new Generator.FileStat("logs/" + p.relative(), f.format, p.lines()));
                total += p.lines();
            }
        }
        Path config = o.out().resolve("detect.json");
        Path truth = o.out().resolve("ground-truth.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(config.toFile(), config());
        writeGroundTruth(truth, stats);
        return new Generator.Result(logs, truth, config, stats, total, seconds);
    }

    LogFile open(Path logs, String relative, String format) throws IOException {
        return open(logs, relative, format, LogFile.Style.UNIX);
    }

    LogFile open(Path logs, String relative, String format, LogFile.Style style) throws IOException {
        LogFile f = new LogFile(logs, relative, format, start, style);
        files.add(f);
        return f;
    }

    /** A log of one file per period, named by {@code rotation}; {@code pattern} describes the names. */
    LogFile open(Path logs, String pattern, String format, LogFile.Style style, LogFile.Rotation rotation) {
        LogFile f = new LogFile(logs, pattern, format, start, style, rotation);
        files.add(f);
        return f;
    }

    /** Office hours, quieter at weekends. */
    double officeWeight(long slotStart) {
        int hour = (int) ((slotStart / 3_600_000L) % 24);
        DayOfWeek dow = o.start().plusDays((slotStart - start) / Clock.DAY).getDayOfWeek();
        double weekend = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? 0.15 : 1.0;
        return OFFICE[hour] * weekend;
    }

    /** Adds the line in {@link #b} to {@code file} at {@code ms}. */
    void emit(LogFile file, long ms) {
        file.add(ms, b.toString());
        emitted++;
        if (current != null) {
            if (ms < current.first) {
                current.first = ms;
            }
            if (ms > current.last) {
                current.last = ms;
            }
        }
    }

    Story story(String id, String description) {
        Story s = new Story(id, description);
        stories.add(s);
        current = s;
        return s;
    }

    Map<String, String> benign(String type, String entity, String what) {
        Map<String, String> e = entry("entity_type", type, "entity", entity, "what", what);
        benign.add(e);
        return e;
    }

    /** A ground-truth entry from keys and values, in their order. */
    static Map<String, String> entry(String... keysAndValues) {
        Map<String, String> e = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            e.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return e;
    }

    /** A {@code detect.json}: the site's public networks, its mail domain and its MTA. */
    static Map<String, Object> detectConfig(List<String> localNetworks, String domain, String mta) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("local_networks", localNetworks);
        config.put("local_domains", List.of(domain));
        config.put("mtas", List.of(mta));
        return config;
    }

    // --- the world --------------------------------------------------------------------------------------------------

    /** {@code count} distinct user names (initial and surname), in a seeded order. */
    String[] userNames(int count) {
        List<String> names = new ArrayList<>();
        for (String s : SURNAMES) {
            for (char c = 'a'; c <= 'z'; c++) {
                names.add(c + s);
            }
        }
        shuffle(names);
        return names.subList(0, count).toArray(new String[0]);
    }

    /** 160 outside mail domains, the common ones first, each with its MX host and address. */
    void makeDomains() {
        domains = new String[160];
        domainMx = new String[domains.length];
        domainMxIp = new String[domains.length];
        for (int i = 0; i < domains.length; i++) {
            domains[i] = i < BASE_DOMAINS.length ? BASE_DOMAINS[i] : word(4 + r.nextInt(6)) + "-" + word(3 + r.nextInt(5))
                    + ".example";
            domainMx[i] = "mx." + domains[i];
            domainMxIp[i] = remoteMxIp(domains[i]);
        }
    }

    /** Two of the relay pool's /24s, in a seeded order. */
    String[] twoRelayNets() {
        List<String> relay = new ArrayList<>(List.of(RELAY_NETS));
        shuffle(relay);
        return new String[] {relay.get(0), relay.get(1)};
    }

    /** Host numbers 2-253 of a /24 in a seeded order: the addresses an actor rotates through. */
    List<Integer> shuffledHosts() {
        List<Integer> hosts = new ArrayList<>();
        for (int h = 2; h <= 253; h++) {
            hosts.add(h);
        }
        shuffle(hosts);
        return hosts;
    }

    /** The HELO of a sender who makes one up for each connection from {@code ip}. */
    String madeUpHelo(String ip) {
        return switch (r.nextInt(4)) {
            case 0 -> word(7) + ".example";
            case 1 -> "[" + ip + "]";
            case 2 -> "WIN-" + word(8).toUpperCase(java.util.Locale.ROOT);
            default -> word(10);
        };
    }

    /** One session of a stolen account's user: when, from where, with which HELO, how many messages, how long. */
    interface StolenSession {
        void at(long t, String ip, String helo, int messages, long duration);
    }

    /**
     * The sessions of a stolen account from [{@code a}, {@code z}): from 40 of {@code hosts} in {@code net}, a made-up
     * HELO each, 2-6 messages over 2-9 minutes, a pause of 5-60 seconds between sessions.
     */
    void stolenSessions(long a, long z, String net, List<Integer> hosts, StolenSession session) {
        long t = a;
        while (t < z) {
            String ip = net + "." + hosts.get(r.nextInt(40));
            String helo = madeUpHelo(ip);
            int n = 2 + r.nextInt(5);
            long duration = 120_000L + r.nextInt(420_000);
            session.at(t, ip, helo, n, duration);
            t += duration + 5000 + r.nextInt(55_000);
        }
    }

    /** What a stolen password used from rotating addresses of one /24, a new HELO each time, must give. */
    static void expectStolenAccount(Story s, String user, String net) {
        s.expect("auth_account_abuse", "user", user)
                .expect("helo_rotation", "cidr", net + ".0/24")
                .expect("smtp_flood_subnet", "cidr", net + ".0/24");
    }

    /** What many addresses of each of {@code nets}, each with a made-up HELO, must give. */
    static void expectRotatingNets(Story s, String[] nets) {
        for (String net : nets) {
            s.expect("smtp_flood_subnet", "cidr", net + ".0/24").expect("helo_rotation", "cidr", net + ".0/24");
        }
    }

    static String remoteMxIp(String domain) {
        int sum = 0;
        for (int i = 0; i < domain.length(); i++) {
            sum += domain.charAt(i);
        }
        return "203.0.113." + (100 + sum % 140);
    }

    Rcpt sent(String rcpt, String host, String ip) {
        return new Rcpt(rcpt, SENT, host, ip, "250 2.0.0 Ok: queued as " + qidLike());
    }

    /**
     * What a remote MX answers the site's server ({@code publicIp}): mostly accepted; for abusive mail deferrals and,
     * once listed, DNSBL refusals.
     */
    Rcpt outcome(String rcpt, String domain, long t, boolean abusive, String publicIp) {
        String host = "mx." + domain;
        String ip = remoteMxIp(domain);
        if (abusive && t >= blacklistedFrom && r.nextInt(100) < 55) {
            String reply = switch (r.nextInt(3)) {
                case 0 -> "550 5.7.1 Service unavailable; Client host [" + publicIp + "] blocked using zen.spamhaus.org";
                case 1 -> "554 5.7.1 Rejected: " + publicIp + " listed on bl.spamcop.net";
                default -> "550 5.7.1 Mail from " + publicIp + " refused - see https://www.spamhaus.org/query/ip/"
                        + publicIp;
            };
            return new Rcpt(rcpt, BOUNCED, host, ip, reply);
        }
        if (abusive && r.nextInt(100) < 35) {
            return new Rcpt(rcpt, DEFERRED, host, ip, "421 4.7.0 Try again later, closing connection.");
        }
        if (abusive && r.nextInt(100) < 8) {
            return new Rcpt(rcpt, BOUNCED, host, ip, "550 5.1.1 User unknown");
        }
        return sent(rcpt, host, ip);
    }

    /** A remote server's queue id: any ten hex digits. */
    String qidLike() {
        StringBuilder q = new StringBuilder(10);
        long v = r.nextLong();
        for (int i = 0; i < 10; i++) {
            q.append(HEX[(int) (v >>> (4 * i)) & 15]);
        }
        return q.toString();
    }

    String randomIp() {
        return OCTETS[r.nextInt(OCTETS.length)] + "." + r.nextInt(256) + "." + r.nextInt(256) + "."
                + (1 + r.nextInt(254));
    }

    String spamDomain() {
        return word(4 + r.nextInt(6)) + ".example";
    }

    String word(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }

    String msgid(String host) {
        StringBuilder m = new StringBuilder(40);
        long v = r.nextLong();
        for (int i = 0; i < 12; i++) {
            m.append(Character.toLowerCase(HEX[(int) (v >>> (4 * i)) & 15]));
        }
        m.append('.');
        for (int i = 12; i < 18; i++) {
            m.append(Character.toLowerCase(HEX[(int) (v >>> (4 * i)) & 15]));
        }
        return m.append('@').append(host).toString();
    }

    String pick(String[] pool) {
        return pool[r.nextInt(pool.length)];
    }

    <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T x = list.get(i);
            list.set(i, list.get(j));
            list.set(j, x);
        }
    }

    long at(double hoursIn) {
        return start + (long) (hoursIn * 3_600_000L);
    }

    long between(long a, long z) {
        return a + r.nextLong(Math.max(1, z - a));
    }

    // --- ground truth -----------------------------------------------------------------------------------------------

    private void writeGroundTruth(Path path, List<Generator.FileStat> stats) throws IOException {
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("generator", "relaywatch generate");
        if (!o.site().equals(Generator.ACME)) {
            truth.put("site", o.site());
        }
        truth.put("seed", o.seed());
        truth.put("start", o.start().toString());
        truth.put("days", o.days());
        truth.put("scale", o.scale());
        truth.put("time_zone", "UTC");
        truth.put("analyze", "./relaywatch analyze DIR/logs --out OUT --config DIR/detect.json");
        String matching = "a story is found when every expected entry has a finding with that rule and entity "
                + "(any severity); a high or critical finding is true when its rule and entity are expected by some "
                + "story; benign entities must not get high or critical findings (cidr entries cover addresses and "
                + "/24s inside them, but the address named by 'except')";
        truth.put("matching", matching);
        List<Map<String, Object>> fileList = new ArrayList<>();
        for (Generator.FileStat f : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("format", f.format());
            m.put("lines", f.lines());
            fileList.add(m);
        }
        truth.put("files", fileList);
        List<Map<String, Object>> storyList = new ArrayList<>();
        for (Story s : stories) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("story", s.id);
            m.put("description", s.description);
            m.put("from", Instant.ofEpochMilli(s.first).toString());
            m.put("to", Instant.ofEpochMilli(s.last).toString());
            m.put("expected", s.expected);
            storyList.add(m);
        }
        truth.put("stories", storyList);
        truth.put("benign", benign);
        Files.createDirectories(path.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), truth);
    }
}
