package io.relaywatch.jobs.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes realistic mixed SMTP, web and firewall logs of the fictional company ACME (as in sample-logs/), with the abuse
 * stories of sample-logs/README.md injected at known times, and {@code ground-truth.json} naming what detection must
 * find. Deterministic for a seed; streams to disk (memory holds about ten minutes of lines); everything in UTC.
 *
 * <p>Layout: {@code DIR/logs/<host>/<file>} (Postfix, Exim, Apache vhost_combined, Cisco ASA, iptables, Zeek),
 * {@code DIR/detect.json} (the site: our public block, the branch office's address, mx1) and
 * {@code DIR/ground-truth.json}. Analyze with {@code analyze DIR/logs --out OUT --config DIR/detect.json}.
 *
 * <p>The stories (attack volumes are fixed, so they are a small share at benchmark scales): a stolen password used from
 * one foreign /24, an open relay at the branch office chained through mx1 (backlog, backscatter, blocklisting), relay
 * probing and password guessing from one /24, proxy probes and an SMTP tunnel through the web server, and an infected
 * workstation talking SMTP to the internet. Background traffic fills the rest of {@code --scale} by fixed shares.
 */
public final class Generator extends Site {

    /** The sites {@code --site} chooses from; {@link #ACME} is the default. */
    public static final String ACME = "acme";
    public static final String EXCHANGE = "exchange";
    public static final String SBS2003 = "sbs2003";
    public static final List<String> SITES = List.of(ACME, EXCHANGE, SBS2003);

    /** What to generate, and at which site. */
    public record Options(Path out, int days, long scale, long seed, LocalDate start, String site) {
        public Options {
            if (!SITES.contains(site)) {
                throw new IllegalArgumentException("--site must be one of " + String.join(", ", SITES));
            }
            if (days < 1 || days > 366) {
                throw new IllegalArgumentException("--days must be between 1 and 366");
            }
            long min = minScale(site);
            if (scale < min) {
                throw new IllegalArgumentException(String.format("--scale must be at least %d lines at site %s (the "
                        + "injected stories alone take about %,d)", min, site, min / 4));
            }
        }

        /** The ACME site. */
        public Options(Path out, int days, long scale, long seed, LocalDate start) {
            this(out, days, scale, seed, start, ACME);
        }
    }

    /** The smallest --scale of a site: four times what its stories take. */
    public static long minScale(String site) {
        return switch (site) {
            case EXCHANGE -> ExchangeSite.MIN_SCALE;
            case SBS2003 -> Sbs2003Site.MIN_SCALE;
            default -> MIN_SCALE;
        };
    }

    /** One file written. */
    public record FileStat(String path, String format, long lines) {
    }

    /** What was written and how fast. */
    public record Result(Path logs, Path groundTruth, Path config, List<FileStat> files, long lines, double seconds) {
        public double linesPerSecond() {
            return seconds <= 0 ? 0 : lines / seconds;
        }
    }

    public static final long MIN_SCALE = 50_000;

    static final String DOMAIN = "acme.example";
    static final String MX1_PUBLIC = "198.51.100.25";
    static final String MX1_DMZ = "192.168.50.25";
    static final String WWW_DMZ = "192.168.50.80";
    static final String BRANCH_MX = "203.0.113.60";
    static final String LAN_NAT = "198.51.100.30";

    static final String[] PROXY_NETS = {"185.220.101", "185.220.100", "171.25.193", "192.42.116", "109.70.100"};
    static final String[] RELAY_NETS = {"100.64.23", "100.71.8", "100.88.140", "100.101.7", "100.120.66", "100.66.200"};
    static final String[] TRAVELLER_IPS = {"216.160.83.56", "216.160.83.61", "202.196.224.10", "216.160.83.58"};
    static final String[] PARTNER_HOSTS = {"mail.partner-logistics.example", "mx.supplier-one.example",
        "smtp.bank-statements.example", "mx.city-council.example", "out.newsletters-r-us.example",
        "mail.tax-advisors.example"};
    static final String[] PARTNER_IPS = {"192.0.2.33", "192.0.2.41", "192.0.2.57", "192.0.2.62", "192.0.2.90",
        "192.0.2.118"};
    private static final String[] PAGES = {"/", "/products/", "/products/widgets", "/products/gadgets", "/about",
        "/contact", "/assets/site.css", "/assets/app.js", "/images/logo.png", "/careers", "/news/",
        "/news/2026/11/new-warehouse", "/support/faq", "/downloads/catalogue.pdf", "/favicon.ico"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"};
    private static final String[] BOTS = {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"};
    private static final String[] SCANS = {"GET /wp-login.php HTTP/1.1", "GET /.env HTTP/1.1",
        "POST /xmlrpc.php HTTP/1.1", "GET /phpmyadmin/ HTTP/1.1", "GET /.git/config HTTP/1.1"};
    private static final int[] DROP_PORTS = {22, 23, 445, 3389, 8080, 25, 1433, 5900};
    private static final double[] WEB = {3, 2, 2, 1, 1, 1, 2, 4, 6, 8, 8, 8, 8, 8, 8, 8, 8, 8, 7, 7, 6, 5, 4, 3};
    // the world
    private final String[] users;
    private final String[] userIps;
    private final String stolenNet;
    private final String probeNet;
    private final String proxyNet;
    private final String[] relayNets;
    private final String stolenUser;
    private final String traveller;
    private final String travellerIp;
    private final String infectedHost;

    private LogFile mx1Mail;
    private LogFile wwwMail;
    private LogFile wwwAccess;
    private LogFile branchMain;
    private LogFile asa;
    private LogFile kern;
    private LogFile zeek;
    private Postfix mx1;
    private Postfix www;
    private Exim branch;
    private long asaConn = 400_000;

    private Generator(Options o) {
        super(o);
        // users: more of them at larger scales, so that each keeps a realistic rate (~25 messages a working day)
        long submissionMessages = (long) (o.scale() * SHARES[0] / 7.5);
        int count = (int) Math.max(16, Math.min(1600, submissionMessages / (o.days() * 25L)));
        users = userNames(count);
        userIps = new String[count];
        for (int i = 0; i < count; i++) {
            userIps[i] = "10.10." + (5 + i / 200) + "." + (30 + i % 200);
        }
        makeDomains();
        stolenNet = pick(STOLEN_NETS);
        probeNet = pick(PROBE_NETS);
        proxyNet = pick(PROXY_NETS);
        relayNets = twoRelayNets();
        stolenUser = users[r.nextInt(count)];
        String t;
        do {
            t = users[r.nextInt(count)];
        } while (t.equals(stolenUser));
        traveller = t;
        travellerIp = pick(TRAVELLER_IPS);
        infectedHost = "10.10." + (5 + r.nextInt(Math.max(1, (count + 199) / 200))) + "." + (2 + r.nextInt(26));
    }

    /** Generates everything described by {@code options}. */
    public static Result generate(Options options) throws IOException {
        return switch (options.site()) {
            case EXCHANGE -> new ExchangeSite(options).run();
            case SBS2003 -> new Sbs2003Site(options).run();
            default -> new Generator(options).run();
        };
    }

    // --- the run ----------------------------------------------------------------------------------------------------

    /** Shares of the background lines: submissions, inbound, postscreen, contact form, branch users, web visitors,
     * LAN browsing through the ASA, perimeter drops and mx1's outbound SMTP, Zeek records of inbound mail. */
    static final double[] SHARES = {0.15, 0.12, 0.04, 0.01, 0.05, 0.30, 0.18, 0.10, 0.05};

    @Override
    void openFiles(Path logs) throws IOException {
        String stamp = clock.compactDate(o.days());
        mx1Mail = open(logs, "mx1/mail.log-" + stamp, "postfix");
        kern = open(logs, "mx1/kern.log-" + stamp, "iptables");
        wwwAccess = open(logs, "www/access.log-" + stamp, "access_log");
        wwwMail = open(logs, "www/mail.log-" + stamp, "postfix");
        branchMain = open(logs, "branch-mx/mainlog-" + stamp, "exim");
        asa = open(logs, "asa/asa.log-" + stamp, "cisco_asa");
        zeek = open(logs, "sensor/smtp.log", "zeek_smtp");
        mx1 = new Postfix(mx1Mail, "mx1", 20_000 + r.nextInt(5000));
        www = new Postfix(wwwMail, "www", 4_100 + r.nextInt(900));
        branch = new Exim(branchMain);
        zeekHeader();
    }

    @Override
    double[] shares() {
        return SHARES;
    }

    @Override
    long trailerLines() {
        return 1; // Zeek's #close
    }

    @Override
    void finish(LogFile f) throws IOException {
        if (f == zeek) {
            f.flushBefore(Long.MAX_VALUE);
            f.header("#close\t" + clock.zeekStamp(end));
        }
    }

    @Override
    double weight(int generator, long slotStart) {
        boolean office = generator <= 1 || generator == 3 || generator == 4 || generator == 6;
        if (office) {
            return officeWeight(slotStart);
        }
        return generator == 5 ? WEB[(int) ((slotStart / 3_600_000L) % 24)] : 1.0;
    }

    @Override
    void background(int generator, long t) {
        switch (generator) {
            case 0 -> submission(t);
            case 1 -> inbound(t);
            case 2 -> postscreenNoise(t);
            case 3 -> contactForm(t);
            case 4 -> branchUser(t);
            case 5 -> webVisit(t);
            case 6 -> lanBrowsing(t);
            case 7 -> perimeter(t);
            default -> zeekInbound(t);
        }
    }

    // --- background -------------------------------------------------------------------------------------------------

    private void submission(long t) {
        int u = r.nextInt(users.length);
        List<Rcpt> rcpts = new ArrayList<>(3);
        int n = r.nextInt(5) < 3 ? 1 : 2 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) < 4) {
                rcpts.add(local(users[r.nextInt(users.length)]));
            } else {
                int d = r.nextInt(domains.length);
                rcpts.add(sent(word(5) + "@" + domains[d], domainMx[d], domainMxIp[d]));
            }
        }
        mx1.session(t, "unknown", userIps[u], List.of(new Msg(users[u] + "@" + DOMAIN, rcpts)), users[u],
                "submission/smtpd", 0);
    }

    private void inbound(long t) {
        int p = r.nextInt(PARTNER_HOSTS.length);
        String ip = PARTNER_IPS[p];
        int port = 30000 + r.nextInt(35000);
        int pid = mx1.nextPid();
        mx1.start(t, "postscreen", pid).append("CONNECT from [").append(ip).append("]:").append(port)
                .append(" to [").append(MX1_PUBLIC).append("]:25");
        emit(mx1Mail, t);
        mx1.start(t + 1000, "postscreen", pid).append("PASS OLD [").append(ip).append("]:").append(port);
        emit(mx1Mail, t + 1000);
        List<Rcpt> rcpts = new ArrayList<>(2);
        int n = r.nextInt(3) < 2 ? 1 : 2;
        for (int i = 0; i < n; i++) {
            rcpts.add(local(users[r.nextInt(users.length)]));
        }
        String host = PARTNER_HOSTS[p];
        mx1.session(t + 1000, host, ip, List.of(new Msg(word(6) + "@" + host.substring(host.indexOf('.') + 1), rcpts)),
                null, "smtpd", 0);
    }

    private void postscreenNoise(long t) {
        String ip = randomIp();
        int port = 30000 + r.nextInt(35000);
        int pid = mx1.nextPid();
        mx1.start(t, "postscreen", pid).append("CONNECT from [").append(ip).append("]:").append(port)
                .append(" to [").append(MX1_PUBLIC).append("]:25");
        emit(mx1Mail, t);
        mx1.start(t + 1000, "postscreen", pid).append("DNSBL rank ").append(2 + r.nextInt(5)).append(" for [")
                .append(ip).append("]:").append(port);
        emit(mx1Mail, t + 1000);
        mx1.start(t + 2000, "postscreen", pid).append("NOQUEUE: reject: RCPT from [").append(ip).append("]:")
                .append(port).append(": 550 5.7.1 Service unavailable; client [").append(ip)
                .append("] blocked using zen.spamhaus.org; from=<").append(word(6)).append('@').append(spamDomain())
                .append(">, to=<").append(users[r.nextInt(users.length)]).append('@').append(DOMAIN)
                .append(">, proto=ESMTP, helo=<").append(word(6)).append(".example>");
        emit(mx1Mail, t + 2000);
        mx1.start(t + 3000, "postscreen", pid).append("DISCONNECT [").append(ip).append("]:").append(port);
        emit(mx1Mail, t + 3000);
    }

    /** The web site's contact form: www's own Postfix takes it from localhost and relays it via mx1. */
    private void contactForm(long t) {
        String mxq = mx1.qid();
        String rcpt = (r.nextBoolean() ? "sales@" : "info@") + DOMAIN;
        String sender = "www-data@www." + DOMAIN;
        www.session(t, "localhost", "127.0.0.1", List.of(new Msg(sender,
                List.of(new Rcpt(rcpt, SENT, "mx1." + DOMAIN, MX1_DMZ, "250 2.0.0 Ok: queued as " + mxq)))),
                null, "smtpd", 0);
        mx1.receive(t + 2500, "www." + DOMAIN, WWW_DMZ, mxq, sender, List.of(local(rcpt.substring(0,
                rcpt.indexOf('@')))));
    }

    private void branchUser(long t) {
        String user = users[r.nextInt(Math.min(users.length, 40))];
        String ip = "10.30.1." + (10 + r.nextInt(50));
        int d = r.nextInt(domains.length);
        branch.submit(t, user + "@" + DOMAIN, "ws-" + ip.substring(ip.lastIndexOf('.') + 1), ip, "esmtpa",
                "login:" + user, List.of(word(5) + "@" + domains[d]), mx1.qid(), true);
    }

    private void webVisit(long t) {
        int kind = r.nextInt(100);
        b.setLength(0);
        if (kind < 85) {
            b.append("www.").append(DOMAIN).append(":443 ");
            appendVisitorIp();
            b.append(" - - ");
            clock.clf(b, t);
            int status = r.nextInt(14);
            b.append(" \"GET ").append(PAGES[r.nextInt(PAGES.length)]).append(" HTTP/2.0\" ")
                    .append(status < 12 ? 200 : status == 12 ? 304 : 404).append(' ').append(300 + r.nextInt(40000))
                    .append(r.nextBoolean() ? " \"-\" \"" : " \"https://www." + DOMAIN + "/\" \"")
                    .append(AGENTS[r.nextInt(AGENTS.length)]).append('"');
        } else if (kind < 95) {
            b.append("www.").append(DOMAIN).append(":443 66.249.66.").append(1 + r.nextInt(200)).append(" - - ");
            clock.clf(b, t);
            b.append(" \"GET ").append(PAGES[r.nextInt(PAGES.length)]).append(" HTTP/1.1\" 200 ")
                    .append(300 + r.nextInt(40000)).append(" \"-\" \"").append(BOTS[r.nextInt(BOTS.length)])
                    .append('"');
        } else {
            b.append("www.").append(DOMAIN).append(":80 ").append(randomIp()).append(" - - ");
            clock.clf(b, t);
            b.append(" \"").append(SCANS[r.nextInt(SCANS.length)]).append("\" 404 196 \"-\" \"Mozilla/5.0 zgrab/0.x\"");
        }
        emit(wwwAccess, t);
    }

    private void appendVisitorIp() {
        b.append(OCTETS[r.nextInt(OCTETS.length)]).append('.').append(r.nextInt(256)).append('.')
                .append(r.nextInt(256)).append('.').append(1 + r.nextInt(254));
    }

    private void lanBrowsing(long t) {
        int u = r.nextInt(users.length);
        String dst = "203.0.113." + (2 + r.nextInt(89));
        asaPair(t, userIps[u], 49152 + r.nextInt(15000), dst, 443, LAN_NAT, true, "inside", "outside");
    }

    private void perimeter(long t) {
        if (r.nextInt(3) == 0) {
            // mx1 delivering mail to the internet: through the ASA, and in mx1's own iptables log
            String dst = "203.0.113." + (100 + r.nextInt(140));
            int sp = 30000 + r.nextInt(30000);
            asaPair(t, MX1_DMZ, sp, dst, 25, MX1_PUBLIC, true, "dmz", "outside");
            kernLine(t, "OUT-SMTP-ACCEPT: IN= OUT=eth0 SRC=" + MX1_DMZ + " DST=" + dst + " LEN=60 TOS=0x00 PREC=0x00 "
                    + "TTL=64 ID=" + (1 + r.nextInt(65000)) + " DF PROTO=TCP SPT=" + sp + " DPT=25 WINDOW=64240 "
                    + "RES=0x00 SYN URGP=0");
            return;
        }
        String ip = randomIp();
        int port = DROP_PORTS[r.nextInt(DROP_PORTS.length)];
        b.setLength(0);
        clock.syslog(b, t);
        b.append(" asa01 %ASA-4-106023: Deny tcp src outside:").append(ip).append('/').append(1024 + r.nextInt(64000))
                .append(" dst dmz:").append(MX1_DMZ).append('/').append(port)
                .append(" by access-group \"outside_access_in\" [0x0, 0x0]");
        emit(asa, t);
        kernLine(t, "IPTABLES-DROP: IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=" + ip + " DST="
                + MX1_PUBLIC + " LEN=44 TOS=0x00 PREC=0x00 TTL=" + (30 + r.nextInt(220)) + " ID="
                + (1 + r.nextInt(65000)) + " PROTO=TCP SPT=" + (1024 + r.nextInt(64000)) + " DPT=" + port
                + " WINDOW=1024 RES=0x00 SYN URGP=0");
    }

    private void kernLine(long t, String text) {
        b.setLength(0);
        clock.syslog(b, t);
        long uptime = t - start + 86_400_000L;
        b.append(" mx1 kernel: [").append(uptime / 1000).append('.');
        Clock.pad(b, (uptime % 1000) * 1000 + r.nextInt(1000), 6);
        b.append("] ").append(text);
        emit(kern, t);
    }

    private void zeekInbound(long t) {
        int p = r.nextInt(PARTNER_HOSTS.length);
        String host = PARTNER_HOSTS[p];
        zeekRecord(t, PARTNER_IPS[p], 30000 + r.nextInt(35000), 25, host,
                word(6) + "@" + host.substring(host.indexOf('.') + 1),
                users[r.nextInt(users.length)] + "@" + DOMAIN, "250 2.0.0 Ok: queued as " + mx1.qid());
    }

    // --- the stories ------------------------------------------------------------------------------------------------

    @Override
    void planStories() {
        relayProbing();
        proxyTunnel();
        stolenPassword();
        openRelay();
        infectedWorkstation();
        current = null;
        oneOffBenign();
    }

    private void relayProbing() {
        Story s = story("relay_probing", "relay probes and password guessing from " + probeNet + ".0/24 at mx1 and "
                + "branch-mx; one address of it guesses passwords at mx1's submission port for two hours");
        long a = at(1);
        long z = at(Math.min(0.3 * hours, 46));
        for (int i = 0; i < 60; i++) {
            long t = between(a, z);
            String ip = probeNet + "." + (2 + r.nextInt(249));
            int pid = mx1.nextPid();
            mx1.start(t, "smtpd", pid).append("connect from unknown[").append(ip).append(']');
            emit(mx1Mail, t);
            mx1.start(t + 1000, "smtpd", pid).append("NOQUEUE: reject: RCPT from unknown[").append(ip)
                    .append("]: 554 5.7.1 <").append(word(6)).append('@').append(spamDomain())
                    .append(">: Relay access denied; from=<").append(word(6)).append('@').append(spamDomain())
                    .append("> to=<").append(word(6)).append('@').append(spamDomain())
                    .append("> proto=ESMTP helo=<").append(ip).append('>');
            emit(mx1Mail, t + 1000);
            mx1.start(t + 2000, "smtpd", pid).append("disconnect from unknown[").append(ip)
                    .append("] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4");
            emit(mx1Mail, t + 2000);
        }
        for (int i = 0; i < 40; i++) {
            long t = between(a, z);
            String ip = probeNet + "." + (2 + r.nextInt(249));
            b.setLength(0);
            clock.iso(b, t);
            b.append(" H=(").append(ip).append(") [").append(ip).append("]:").append(1024 + r.nextInt(64000))
                    .append(" F=<").append(word(6)).append('@').append(spamDomain()).append("> rejected RCPT <")
                    .append(word(6)).append('@').append(spamDomain()).append(">: relay not permitted");
            emit(branchMain, t);
        }
        // password guessing all along: at mx1 without a user name, at branch-mx with the names tried
        for (int d = 0; d < o.days(); d++) {
            for (int i = 0; i < 8; i++) {
                saslFailure(between(start + d * Clock.DAY, start + (d + 1) * Clock.DAY),
                        probeNet + "." + (2 + r.nextInt(249)));
            }
        }
        String[] tried = {"admin", "info", "test", "postmaster"};
        for (int i = 0; i < 30; i++) {
            long t = between(start, end - 3_600_000L);
            String ip = probeNet + "." + (i < 3 ? 10 + 40 * i : 2 + r.nextInt(249));
            b.setLength(0);
            clock.iso(b, t);
            b.append(" login authenticator failed for (").append(word(6)).append(") [").append(ip).append("]:")
                    .append(1024 + r.nextInt(64000)).append(": 535 Incorrect authentication data (set_id=")
                    .append(i < 3 ? "admin" : tried[r.nextInt(tried.length)]).append(')');
            emit(branchMain, t);
        }
        String guesser = probeNet + "." + (2 + r.nextInt(249));
        long g0 = at(0.35 * hours);
        for (int i = 0; i < 80; i++) {
            saslFailure(g0 + i * 90_000L + r.nextInt(60_000), guesser);
        }
        s.expect("relay_probe", "cidr", probeNet + ".0/24")
                .expect("smtp_flood_subnet", "cidr", probeNet + ".0/24")
                .expect("helo_rotation", "cidr", probeNet + ".0/24")
                .expect("auth_bruteforce", "ip", guesser)
                .expect("auth_bruteforce", "user", "admin");
    }

    private void saslFailure(long t, String ip) {
        int pid = mx1.nextPid();
        mx1.start(t, "submission/smtpd", pid).append("connect from unknown[").append(ip).append(']');
        emit(mx1Mail, t);
        mx1.start(t + 2000, "submission/smtpd", pid).append("warning: unknown[").append(ip)
                .append("]: SASL LOGIN authentication failed: UGFzc3dvcmQ6");
        emit(mx1Mail, t + 2000);
        mx1.start(t + 3000, "submission/smtpd", pid).append("lost connection after AUTH from unknown[").append(ip)
                .append(']');
        emit(mx1Mail, t + 3000);
        mx1.start(t + 3000, "submission/smtpd", pid).append("disconnect from unknown[").append(ip)
                .append("] ehlo=1 auth=0/1 commands=1/2");
        emit(mx1Mail, t + 3000);
    }

    private void proxyTunnel() {
        Story s = story("web_proxy_tunnelling", "proxy probes against www from " + proxyNet + ".0/24, then POST "
                + "http://127.0.0.1:25/ answered 200: www's Postfix takes the mail from localhost and relays it via mx1");
        List<Integer> hosts = new ArrayList<>();
        for (int h = 2; h <= 250; h++) {
            hosts.add(h);
        }
        shuffle(hosts);
        String[] judge = new String[3];
        String[] smtp = new String[4];
        String[] tunnel = new String[4];
        for (int i = 0; i < 11; i++) {
            String ip = proxyNet + "." + hosts.get(i);
            if (i < 3) {
                judge[i] = ip;
            } else if (i < 7) {
                smtp[i - 3] = ip;
            } else {
                tunnel[i - 7] = ip;
            }
        }
        long a = at(14);
        long z = at(18);
        for (int i = 0; i < 45; i++) {
            long t = between(a, z);
            boolean judging = i < 3 || (i >= 7 && r.nextInt(3) == 0);
            String ip = i < 3 ? judge[i] : i < 7 ? smtp[i - 3] : judging ? judge[r.nextInt(3)] : smtp[r.nextInt(4)];
            String request;
            int status;
            if (judging) {
                request = "GET http://www.proxy-judge.example/azenv.php HTTP/1.1";
                status = r.nextBoolean() ? 200 : 404;
            } else {
                switch (r.nextInt(3)) {
                    case 0 -> {
                        request = "CONNECT mx.mailbox-provider.example:25 HTTP/1.1";
                        status = 405;
                    }
                    case 1 -> {
                        request = "GET http://" + MX1_PUBLIC + ":25/ HTTP/1.1";
                        status = 502;
                    }
                    default -> {
                        request = "CONNECT 127.0.0.1:25 HTTP/1.1";
                        status = 405;
                    }
                }
            }
            access(t, ":80 ", ip, request, status, 150 + r.nextInt(750), "Mozilla/4.0 (compatible; MSIE 6.0)");
        }
        // the tunnel: one or two nights
        List<long[]> nights = new ArrayList<>();
        if (o.days() == 1) {
            nights.add(new long[] {at(19), at(23)});
        } else {
            nights.add(new long[] {at(21), at(28)});
            if (o.days() >= 3) {
                nights.add(new long[] {at(45), at(52)});
            }
        }
        int requests = 0;
        for (long[] night : nights) {
            long t = night[0];
            while (t < night[1]) {
                t += 180_000L + r.nextInt(240_000);
                String ip = tunnel[r.nextInt(tunnel.length)];
                access(t - 300, ":80 ", ip, "POST http://127.0.0.1:25/ HTTP/1.1", 200, 60 + r.nextInt(180), "-");
                if (requests++ % 3 == 0) {
                    asaPair(t + 2000, WWW_DMZ, 30000 + r.nextInt(30000), MX1_DMZ, 25, WWW_DMZ, false, "dmz", "dmz");
                }
                if (r.nextInt(100) < 15) {
                    www.start(t, "smtpd", www.nextPid())
                            .append("warning: non-SMTP command from localhost[127.0.0.1]: POST http://127.0.0.1:25/ "
                                    + "HTTP/1.1");
                    emit(wwwMail, t);
                    continue;
                }
                String sender = word(6) + "@" + spamDomain();
                int n = 1 + r.nextInt(4);
                String mxq = mx1.qid();
                List<Rcpt> viaMx1 = new ArrayList<>(n);
                List<Rcpt> onward = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String d = spamDomain();
                    String rcpt = word(7) + "@" + d;
                    viaMx1.add(new Rcpt(rcpt, SENT, "mx1." + DOMAIN, MX1_DMZ, "250 2.0.0 Ok: queued as " + mxq));
                    onward.add(outcome(rcpt, d, t, true));
                }
                www.session(t, "localhost", "127.0.0.1", List.of(new Msg(sender, viaMx1)), null, "smtpd", 0);
                mx1.receive(t + 2000, "www." + DOMAIN, WWW_DMZ, mxq, sender, onward);
            }
        }
        for (String ip : judge) {
            s.expect("proxy_probe", "ip", ip);
        }
        for (String ip : smtp) {
            s.expect("proxy_smtp_tunnel", "ip", ip);
        }
        for (String ip : tunnel) {
            s.expect("proxy_smtp_tunnel", "ip", ip);
        }
        s.expect("proxy_confirmed", "host", "www")
                .expect("web_to_smtp_chain", "chain", proxyNet + ".0/24 -> www (web) -> www (MTA)")
                .expect("mta_non_smtp_command", "ip", "127.0.0.1");
    }

    private void access(long t, String port, String ip, String request, int status, int size, String agent) {
        b.setLength(0);
        b.append("www.").append(DOMAIN).append(port).append(ip).append(" - - ");
        clock.clf(b, t);
        b.append(" \"").append(request).append("\" ").append(status).append(' ').append(size).append(" \"-\" \"")
                .append(agent).append('"');
        emit(wwwAccess, t);
    }

    private void stolenPassword() {
        long a = at(o.days() >= 3 ? (o.days() / 2) * 24 + 22 : Math.max(1, hours - 8));
        long z = a + 7 * 3_600_000L;
        Story s = story("stolen_password", "the password of " + stolenUser + " used from rotating addresses of "
                + stolenNet + ".0/24, a new HELO each session, sessions of 2-9 minutes, mail to random outside domains");
        stolenSessions(a, z, stolenNet, shuffledHosts(), (t, ip, helo, n, duration) -> {
            List<Msg> msgs = new ArrayList<>(n);
            String first = null;
            for (int i = 0; i < n; i++) {
                int k = 1 + r.nextInt(3);
                List<Rcpt> rc = new ArrayList<>(k);
                for (int j = 0; j < k; j++) {
                    boolean spam = r.nextInt(10) < 7;
                    int di = r.nextInt(domains.length);
                    String d = spam ? spamDomain() : domains[di];
                    String rcpt = word(7) + "@" + d;
                    first = first == null ? rcpt : first;
                    rc.add(outcome(rcpt, d, t, r.nextInt(10) < 3));
                }
                msgs.add(new Msg(stolenUser + "@" + DOMAIN, rc));
            }
            mx1.session(t, "unknown", ip, msgs, stolenUser, "submission/smtpd", duration);
            zeekRecord(t, ip, 30000 + r.nextInt(35000), 587, helo, stolenUser + "@" + DOMAIN, first,
                    "235 2.7.0 Authentication successful");
        });
        expectStolenAccount(s, stolenUser, stolenNet);
    }

    private void openRelay() {
        long a = at(Math.max(2, 0.15 * hours));
        long z = at(0.85 * hours);
        Story s = story("open_relay", "branch-mx (Exim) trusts the ISP range: it relays for unauthenticated "
                + "senders of " + relayNets[0] + ".0/24 and " + relayNets[1] + ".0/24 via mx1; deferrals at many "
                + "domains, bounces to forged senders, then blocklist refusals of mx1");
        int messages = 300;
        double step = (double) (z - a) / messages;
        for (int i = 0; i < messages; i++) {
            long t = a + (long) ((i + r.nextDouble()) * step);
            String sender = word(6) + "@" + spamDomain();
            int n = 1 + r.nextInt(5);
            List<String> rcpts = new ArrayList<>(n);
            List<Rcpt> onward = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                String d = spamDomain();
                String rcpt = word(7) + "@" + d;
                rcpts.add(rcpt);
                onward.add(outcome(rcpt, d, t, true));
            }
            String mxq = mx1.qid();
            String ip = relayNets[r.nextInt(2)] + "." + (2 + r.nextInt(253));
            branch.submit(t - 2000, sender, word(8) + ".example", ip, "esmtp", null, rcpts, mxq, false);
            mx1.receive(t, "branch-mx." + DOMAIN, BRANCH_MX, mxq, sender, onward);
        }
        s.expect("open_relay_accepted", "host", "branch-mx")
                .expect("mta_hop_chain", "chain", "branch-mx -> mx1")
                .expect("queue_backlog", "host", "mx1")
                .expect("backscatter", "host", "mx1")
                .expect("blacklisted_by_remote", "host", "mx1");
        expectRotatingNets(s, relayNets);
    }

    private void infectedWorkstation() {
        long a = at(0.55 * hours);
        long z = at(Math.min(0.55 * hours + 32, 0.95 * hours));
        Story s = story("infected_workstation", infectedHost + " connects straight to port 25 of hundreds of "
                + "internet hosts");
        for (int i = 0; i < 300; i++) {
            long t = between(a, z);
            asaPair(t, infectedHost, 49152 + r.nextInt(15000), randomIp(), 25, LAN_NAT, true, "inside", "outside");
        }
        s.expect("outbound_smtp_non_mta", "ip", infectedHost);
    }

    private void oneOffBenign() {
        // the newsletter: legitimate bulk mail of an authenticated list account, once
        long t = at(o.days() >= 2 ? 34 : 10);
        List<Rcpt> rcpts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int d = r.nextInt(domains.length);
            rcpts.add(sent("customer" + i + "@" + domains[d], domainMx[d], domainMxIp[d]));
        }
        mx1.session(t, "news", "10.10.0.60", List.of(new Msg("newsletter@" + DOMAIN, rcpts)), "newsletter",
                "submission/smtpd", 240_000L);
        // the traveller: one session from a hotel abroad
        long tt = at(0.8 * hours);
        int d = r.nextInt(domains.length);
        mx1.session(tt, "unknown", travellerIp, List.of(new Msg(traveller + "@" + DOMAIN,
                List.of(sent("orders@" + domains[d], domainMx[d], domainMxIp[d])))), traveller, "submission/smtpd", 0);
        benign("user", "newsletter", "a newsletter to 300 recipients from an authenticated list account");
        benign("user", traveller, "a user travelling, one session from " + travellerIp);
        benign("ip", travellerIp, "the traveller's hotel");
        benign("cidr", "10.10.0.0/16", "the LAN, except the infected workstation " + infectedHost)
                .put("except", infectedHost);
        benign("cidr", "192.168.50.0/24", "the DMZ: mx1 and www");
        benign("cidr", "192.0.2.0/24", "partner MTAs sending inbound mail");
        benign("cidr", "66.249.66.0/24", "a search engine crawler");
        for (String u : users) {
            if (!u.equals(stolenUser)) {
                benign("user", u, "a user sending mail from the LAN");
            }
        }
    }

    // --- shared line shapes -----------------------------------------------------------------------------------------

    private void asaPair(long t, String src, int sport, String dst, int dport, String nat, boolean outbound,
                         String srcIf, String dstIf) {
        asaConn += 1 + r.nextInt(50);
        b.setLength(0);
        clock.syslog(b, t);
        if (outbound) {
            b.append(" asa01 %ASA-6-302013: Built outbound TCP connection ").append(asaConn).append(" for ")
                    .append(dstIf).append(':').append(dst).append('/').append(dport).append(" (").append(dst)
                    .append('/').append(dport).append(") to ").append(srcIf).append(':').append(src).append('/')
                    .append(sport).append(" (").append(nat).append('/').append(sport).append(')');
        } else {
            b.append(" asa01 %ASA-6-302013: Built inbound TCP connection ").append(asaConn).append(" for ")
                    .append(srcIf).append(':').append(src).append('/').append(sport).append(" (").append(src)
                    .append('/').append(sport).append(") to ").append(dstIf).append(':').append(dst).append('/')
                    .append(dport).append(" (").append(nat).append('/').append(dport).append(')');
        }
        emit(asa, t);
        int d = 1 + r.nextInt(40);
        long t2 = t + d * 1000L;
        b.setLength(0);
        clock.syslog(b, t2);
        b.append(" asa01 %ASA-6-302014: Teardown TCP connection ").append(asaConn).append(" for ");
        if (outbound) {
            b.append(dstIf).append(':').append(dst).append('/').append(dport).append(" to ").append(srcIf).append(':')
                    .append(src).append('/').append(sport);
        } else {
            b.append(srcIf).append(':').append(src).append('/').append(sport).append(" to ").append(dstIf).append(':')
                    .append(dst).append('/').append(dport);
        }
        b.append(" duration 0:00:");
        Clock.two(b, d);
        b.append(" bytes ").append(500 + r.nextInt(90000)).append(" TCP FINs");
        emit(asa, t2);
    }

    private void zeekHeader() throws IOException {
        zeek.header("#separator \\x09");
        zeek.header("#set_separator\t,");
        zeek.header("#empty_field\t(empty)");
        zeek.header("#unset_field\t-");
        zeek.header("#path\tsmtp");
        zeek.header("#open\t" + clock.zeekStamp(start));
        zeek.header("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\thelo\tmailfrom\t"
                + "rcptto\tdate\tfrom\tto\tcc\treply_to\tmsg_id\tin_reply_to\tsubject\tx_originating_ip\t"
                + "first_received\tsecond_received\tlast_reply\tpath\tuser_agent\ttls\tfuids\tis_webmail");
        zeek.header("#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tset[string]\tstring\t"
                + "string\tset[string]\tset[string]\tstring\tstring\tstring\tstring\taddr\tstring\tstring\tstring\t"
                + "vector[addr]\tstring\tbool\tvector[string]\tbool");
    }

    private void zeekRecord(long t, String origin, int originPort, int port, String helo, String from, String rcpt,
                            String reply) {
        b.setLength(0);
        Clock.epochMicros(b, t, r.nextInt(1000));
        b.append("\tC");
        for (int i = 0; i < 17; i++) {
            b.append(ALNUM[r.nextInt(ALNUM.length)]);
        }
        b.append('\t').append(origin).append('\t').append(originPort).append('\t').append(MX1_PUBLIC).append('\t')
                .append(port).append("\t1\t").append(helo).append('\t').append(from).append('\t')
                .append(rcpt == null ? "-" : rcpt).append("\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t").append(reply)
                .append('\t').append(MX1_PUBLIC).append(',').append(origin).append("\t-\tT\t(empty)\tF");
        emit(zeek, t);
    }

    private Rcpt local(String user) {
        return new Rcpt(user + "@" + DOMAIN, LOCAL, null, null, null);
    }

    /** What a remote MX answers mx1 (see {@link Site#outcome}). */
    private Rcpt outcome(String rcpt, String domain, long t, boolean abusive) {
        return outcome(rcpt, domain, t, abusive, MX1_PUBLIC);
    }

    // --- MTAs -------------------------------------------------------------------------------------------------------

    /** Postfix 3.7 lines of one host, one message at a time (as sample-logs/_generator renders them). */
    private final class Postfix {
        final LogFile file;
        final String host;
        final int qmgrPid;
        int pid;
        final long qidMul;
        final long qidAdd;
        long qidCount;

        Postfix(LogFile file, String host, int pidStart) {
            this.file = file;
            this.host = host;
            this.pid = pidStart;
            this.qmgrPid = pidStart - 7;
            this.qidMul = r.nextLong() | 1;
            this.qidAdd = r.nextLong();
        }

        int nextPid() {
            pid += 1 + r.nextInt(40);
            if (pid > 4_000_000) {
                pid = 3000 + r.nextInt(1000);
            }
            return pid;
        }

        /** Queue ids: a counter through a bijection of 40 bits, so they look random and never repeat. */
        String qid() {
            long v = (qidCount++ * qidMul + qidAdd) & 0xFF_FFFF_FFFFL;
            char[] c = new char[10];
            for (int i = 9; i >= 0; i--) {
                c[i] = HEX[(int) (v & 15)];
                v >>>= 4;
            }
            return new String(c);
        }

        StringBuilder start(long ms, String program, int p) {
            b.setLength(0);
            clock.syslog(b, ms);
            return b.append(' ').append(host).append(" postfix/").append(program).append('[').append(p).append("]: ");
        }

        /** An SMTP session that submits {@code messages}; {@code duration} 0 means a few seconds. */
        void session(long t, String clientHost, String clientIp, List<Msg> messages, String sasl, String program,
                     long duration) {
            int p = nextPid();
            start(t, program, p).append("connect from ").append(clientHost).append('[').append(clientIp).append(']');
            emit(file, t);
            int n = messages.size();
            long span = duration > 0 ? duration : 2000L + 2000L * n;
            long step = span / (n + 1);
            long now = t;
            int rcpts = 0;
            for (Msg m : messages) {
                now += step;
                String q = qid();
                start(now, program, p).append(q).append(": client=").append(clientHost).append('[').append(clientIp)
                        .append(']');
                if (sasl != null) {
                    b.append(", sasl_method=LOGIN, sasl_username=").append(sasl);
                }
                emit(file, now);
                accepted(now, q, m.sender(), m.rcpts(), DOMAIN);
                rcpts += m.rcpts().size();
            }
            start(now + step, program, p).append("disconnect from ").append(clientHost).append('[').append(clientIp)
                    .append("] ehlo=1 ");
            if (sasl != null) {
                b.append("auth=1 ");
            }
            b.append("mail=").append(n).append(" rcpt=").append(rcpts).append(" data=").append(n)
                    .append(" quit=1 commands=").append((sasl != null ? 3 : 2) + 3 * n);
            emit(file, now + step);
        }

        /** Cleanup, queue manager and deliveries of an accepted message. */
        private void accepted(long now, String q, String sender, List<Rcpt> rcpts, String msgHost) {
            start(now + 40, "cleanup", nextPid()).append(q).append(": message-id=<").append(msgid(msgHost))
                    .append('>');
            emit(file, now + 40);
            start(now + 80, "qmgr", qmgrPid).append(q).append(": from=<").append(sender).append(">, size=")
                    .append(1500 + r.nextInt(88500)).append(", nrcpt=").append(rcpts.size()).append(" (queue active)");
            emit(file, now + 80);
            deliveries(now + 500, q, sender, rcpts);
        }

        /** A message handed over by another MTA (branch-mx, www) with the queue id that MTA logged. */
        void receive(long t, String clientHost, String clientIp, String q, String sender, List<Rcpt> rcpts) {
            int p = nextPid();
            start(t, "smtpd", p).append("connect from ").append(clientHost).append('[').append(clientIp).append(']');
            emit(file, t);
            start(t + 200, "smtpd", p).append(q).append(": client=").append(clientHost).append('[').append(clientIp)
                    .append(']');
            emit(file, t + 200);
            accepted(t + 200, q, sender, rcpts, clientHost);
            start(t + 300, "smtpd", p).append("disconnect from ").append(clientHost).append('[').append(clientIp)
                    .append("] ehlo=1 mail=1 rcpt=").append(rcpts.size()).append(" data=1 quit=1 commands=")
                    .append(4 + rcpts.size());
            emit(file, t + 300);
        }

        void deliveries(long t, String q, String sender, List<Rcpt> rcpts) {
            boolean allFinal = true;
            for (Rcpt rc : rcpts) {
                t += 100 + r.nextInt(800);
                if (rc.kind() == LOCAL) {
                    start(t, "lmtp", nextPid()).append(q).append(": to=<").append(rc.address())
                            .append(">, relay=imap.").append(DOMAIN).append("[10.10.0.20]:24, ");
                    delay();
                    b.append(", dsn=2.0.0, status=sent (250 2.0.0 <").append(rc.address()).append("> Saved)");
                    emit(file, t);
                    continue;
                }
                start(t, "smtp", nextPid()).append(q).append(": to=<").append(rc.address()).append(">, relay=")
                        .append(rc.relayHost()).append('[').append(rc.relayIp()).append("]:25, ");
                delay();
                switch (rc.kind()) {
                    case SENT -> b.append(", dsn=2.0.0, status=sent (").append(rc.reply()).append(')');
                    case DEFERRED -> b.append(", dsn=4.7.0, status=deferred (host ").append(rc.relayHost()).append('[')
                            .append(rc.relayIp()).append("] said: ").append(rc.reply())
                            .append(" (in reply to RCPT TO command))");
                    default -> b.append(", dsn=5.7.1, status=bounced (host ").append(rc.relayHost()).append('[')
                            .append(rc.relayIp()).append("] said: ").append(rc.reply())
                            .append(" (in reply to RCPT TO command))");
                }
                emit(file, t);
                if (rc.kind() == DEFERRED) {
                    allFinal = false;
                } else if (rc.kind() == BOUNCED) {
                    bounce(t, q, sender);
                }
            }
            if (allFinal) {
                start(t + 50, "qmgr", qmgrPid).append(q).append(": removed");
                emit(file, t + 50);
            }
        }

        /** The non-delivery notification to the (often forged) sender: backscatter when the sender is outside. */
        private void bounce(long t, String q, String sender) {
            String nq = qid();
            start(t + 30, "bounce", nextPid()).append(q).append(": sender non-delivery notification: ").append(nq);
            emit(file, t + 30);
            start(t + 60, "qmgr", qmgrPid).append(nq).append(": from=<>, size=").append(3000 + r.nextInt(6000))
                    .append(", nrcpt=1 (queue active)");
            emit(file, t + 60);
            if (!sender.endsWith("@" + DOMAIN)) {
                String d = sender.substring(sender.indexOf('@') + 1);
                String bh = "mx." + d;
                String bip = remoteMxIp(d);
                start(t + 400, "smtp", nextPid()).append(nq).append(": to=<").append(sender).append(">, relay=")
                        .append(bh).append('[').append(bip).append("]:25, delay=0.4, delays=0/0/0.2/0.2, dsn=5.1.1, "
                                + "status=bounced (host ").append(bh).append('[').append(bip)
                        .append("] said: 550 5.1.1 <").append(sender)
                        .append(">: Recipient address rejected: User unknown (in reply to RCPT TO command))");
            } else {
                start(t + 400, "lmtp", nextPid()).append(nq).append(": to=<").append(sender).append(">, relay=imap.")
                        .append(DOMAIN).append("[10.10.0.20]:24, delay=0.3, delays=0/0/0.1/0.2, dsn=2.0.0, "
                                + "status=sent (250 2.0.0 <").append(sender).append("> Saved)");
            }
            emit(file, t + 400);
            start(t + 450, "qmgr", qmgrPid).append(nq).append(": removed");
            emit(file, t + 450);
        }

        private void delay() {
            b.append("delay=");
            Clock.decimal(b, 2 + r.nextInt(29), 1);
            b.append(", delays=0.1/0.02/");
            Clock.decimal(b, 5 + r.nextInt(96), 2);
            b.append('/');
            Clock.decimal(b, 5 + r.nextInt(96), 2);
        }
    }

    /** Exim 4.96 mainlog lines (branch-mx). */
    private final class Exim {
        final LogFile file;

        Exim(LogFile file) {
            this.file = file;
        }

        String id() {
            char[] c = new char[16];
            c[0] = '1';
            for (int i = 1; i < 6; i++) {
                c[i] = ALNUM[r.nextInt(ALNUM.length)];
            }
            c[6] = '-';
            int n = r.nextInt(1_000_000);
            for (int i = 12; i >= 7; i--) {
                c[i] = (char) ('0' + n % 10);
                n /= 10;
            }
            c[13] = '-';
            c[14] = (char) ('A' + r.nextInt(26));
            c[15] = (char) ('A' + r.nextInt(26));
            return new String(c);
        }

        /** A message taken in and passed to mx1, which gave it queue id {@code mxq}. */
        void submit(long t, String sender, String helo, String ip, String protocol, String auth, List<String> rcpts,
                    String mxq, boolean tls) {
            String id = id();
            b.setLength(0);
            clock.iso(b, t);
            b.append(' ').append(id).append(" <= ").append(sender).append(" H=(").append(helo).append(") [")
                    .append(ip).append("]:").append(1024 + r.nextInt(64000)).append(" P=").append(protocol);
            if (auth != null) {
                b.append(" A=").append(auth);
            }
            b.append(" S=").append(1500 + r.nextInt(58000)).append(" id=").append(msgid(auth != null ? DOMAIN
                    : spamDomain()));
            emit(file, t);
            long t2 = t + 1000 + r.nextInt(1500);
            for (String rcpt : rcpts) {
                b.setLength(0);
                clock.iso(b, t2);
                b.append(' ').append(id).append(" => ").append(rcpt).append(" R=smarthost T=remote_smtp H=mx1.")
                        .append(DOMAIN).append(" [").append(MX1_PUBLIC).append(']');
                if (tls) {
                    b.append(" X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes");
                }
                b.append(" C=\"250 2.0.0 Ok: queued as ").append(mxq).append('"');
                emit(file, t2);
            }
            b.setLength(0);
            clock.iso(b, t2);
            b.append(' ').append(id).append(" Completed");
            emit(file, t2);
        }
    }

    // --- outputs ----------------------------------------------------------------------------------------------------

    @Override
    Map<String, Object> config() {
        return detectConfig(List.of("198.51.100.0/24", BRANCH_MX + "/32"), DOMAIN, MX1_DMZ);
    }
}
