package io.relaywatch.jobs.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Small Business Server 2003: one server SBS ({@code 192.168.16.2}, the SBS default, published as
 * {@code 198.51.100.40}) running the IIS 6 SMTP service and Exchange 2003 for smallbiz.example. Two logs, as Windows
 * Server 2003 writes them (CRLF, no byte-order mark, one file per UTC day): the SMTP service's W3C log
 * {@code WINDOWS/system32/LogFiles/SMTPSVC1/exyymmdd.log} (one line per SMTP command, s-port 0, the HELO name in
 * cs-username, arguments with {@code +} for spaces) and the Exchange 2003 message tracking log
 * {@code Exchsrvr/SBS.log/yyyymmdd.log} (tab-separated, unpadded dates and hours, numeric event ids: 1019 received over
 * SMTP, 1027 submitted from the store, 1033/1034 queued, 1020/1031 transfer to the remote MX, 1028 delivered to a
 * mailbox, 1030 NDR).
 *
 * <p>The story: the server is an open relay (the SMTP virtual server's relay restrictions left at "all except the list
 * below"); anonymous clients of two outside /24s relay spam from outside senders to outside recipients, which is
 * visible from these two logs alone.
 */
final class Sbs2003Site extends Site {

    /** About four times what the story takes. */
    static final long MIN_SCALE = 30_000;

    static final String DOMAIN = "smallbiz.example";
    static final String SERVER = "SBS";
    static final String LAN_IP = "192.168.16.2";
    static final String SMTP_VERSION = "Version: 6.0.3790.3959";
    static final String IIS_FIELDS = "date time c-ip cs-username s-sitename s-computername s-ip s-port cs-method "
            + "cs-uri-stem cs-uri-query sc-status sc-win32-status sc-bytes cs-bytes time-taken cs-version cs-host "
            + "cs(User-Agent) cs(Cookie) cs(Referer) ";
    static final String TRACKING_FIELDS = "# Date\tTime\tclient-ip\tClient-hostname\tPartner-Name\tServer-hostname\t"
            + "server-IP\tRecipient-Address\tEvent-ID\tMSGID\tPriority\tRecipient-Report-Status\ttotal-bytes\t"
            + "Number-Recipients\tOrigination-Time\tEncryption\tservice-Version\tLinked-MSGID\tMessage-Subject\t"
            + "Sender-Address";
    static final String[] SUBJECTS = {" Invoice November", " RE: appointment", " Delivery note", " Order 4711",
        " FW: price list", " Minutes"};
    static final String[] SPAM_SUBJECTS = {" cheap pills", " Re: your account", " Hot stock tip", " Replica watches"};

    /** A message as Exchange 2003 tracks it: MSGID, sender, recipients, size, subject, when it came in. */
    private record Mail(String msgid, String sender, List<String> rcpts, int bytes, String subject, long origin) {
    }

    private final String[] users;
    private final String[] userHosts;
    private final String[] relayNets;

    private LogFile smtp;
    private LogFile tracking;

    Sbs2003Site(Generator.Options o) {
        super(o);
        int count = (int) Math.max(10, Math.min(75, o.scale() / (o.days() * 4000L)));
        users = userNames(count);
        userHosts = new String[count];
        for (int i = 0; i < count; i++) {
            userHosts[i] = "PC" + (100 + i);
        }
        makeDomains();
        relayNets = twoRelayNets();
        kinds = new Kind[] {new Kind(0.35, true, this::partnerMail), new Kind(0.30, true, this::userMailOut),
            new Kind(0.15, true, this::userMailInside), new Kind(0.20, false, this::inboundSpam)};
    }

    @Override
    void openFiles(Path logs) {
        String svc = SERVER + "/WINDOWS/system32/LogFiles/SMTPSVC1/ex";
        smtp = open(logs, svc + "yymmdd.log", "iis_smtp", LogFile.Style.WINDOWS, new LogFile.Rotation(Clock.DAY,
                ms -> svc + clock.compact(ms, false).substring(2) + ".log", ms -> {
                    StringBuilder d = new StringBuilder("#Date: ");
                    clock.iso(d, ms);
                    return List.of("#Software: Microsoft Internet Information Services 6.0", "#Version: 1.0",
                            d.toString(), "#Fields: " + IIS_FIELDS);
                }));
        String trk = SERVER + "/Exchsrvr/" + SERVER + ".log/";
        tracking = open(logs, trk + "yyyymmdd.log", "exchange2003_tracking", LogFile.Style.WINDOWS,
                new LogFile.Rotation(Clock.DAY, ms -> trk + clock.compact(ms, false) + ".log",
                        ms -> List.of("# Message Tracking Log File", "# Exchange System Attendant Version 6.5.7638.1",
                                TRACKING_FIELDS)));
    }

    @Override
    Map<String, Object> config() {
        return detectConfig(List.of("198.51.100.0/24"), DOMAIN, LAN_IP);
    }

    // --- background -------------------------------------------------------------------------------------------------

    /** A partner's MTA delivers to users here. */
    private void partnerMail(long t) {
        int p = r.nextInt(Generator.PARTNER_HOSTS.length);
        String host = Generator.PARTNER_HOSTS[p];
        Mail m = mail(word(6) + "@" + host.substring(host.indexOf('.') + 1), localRcpts(), SUBJECTS, t,
                host.substring(host.indexOf('.') + 1));
        inbound(t, Generator.PARTNER_IPS[p], host, m);
    }

    /** A user sends to the outside from Outlook. */
    private void userMailOut(long t) {
        int u = r.nextInt(users.length);
        List<String> rcpts = new ArrayList<>(2);
        for (int i = r.nextInt(4) == 0 ? 2 : 1; i > 0; i--) {
            rcpts.add(word(5) + "@" + domains[r.nextInt(domains.length)]);
        }
        Mail m = mail(users[u] + "@" + DOMAIN, rcpts, SUBJECTS, t, null);
        submitted(t, m);
        outbound(t + 1000, m, false);
    }

    /** A user writes to colleagues: submitted and delivered to their mailboxes. */
    private void userMailInside(long t) {
        Mail m = mail(users[r.nextInt(users.length)] + "@" + DOMAIN, localRcpts(), SUBJECTS, t, null);
        submitted(t, m);
        for (String rc : m.rcpts()) {
            track(t + 900, LAN_IP, SERVER, "-", rc, 1028, m);
        }
    }

    /** Spam from anywhere for users here, accepted and delivered. */
    private void inboundSpam(long t) {
        String d = spamDomain();
        Mail m = mail(word(6) + "@" + d, localRcpts(), SPAM_SUBJECTS, t, d);
        inbound(t, randomIp(), word(8), m);
    }

    private List<String> localRcpts() {
        List<String> rcpts = new ArrayList<>(2);
        for (int i = r.nextInt(3) == 0 ? 2 : 1; i > 0; i--) {
            rcpts.add(users[r.nextInt(users.length)] + "@" + DOMAIN);
        }
        return rcpts;
    }

    // --- the story --------------------------------------------------------------------------------------------------

    @Override
    void planStories() {
        long a = at(Math.max(2, 0.15 * hours));
        long z = at(0.85 * hours);
        Story s = story("open_relay", SERVER + "'s SMTP virtual server relays for anyone (relay restrictions left at "
                + "'all except the list below'): anonymous clients of " + relayNets[0] + ".0/24 and " + relayNets[1]
                + ".0/24 send spam from outside senders to outside recipients, handed on to the recipients' MX hosts");
        int messages = 300;
        double step = (double) (z - a) / messages;
        for (int i = 0; i < messages; i++) {
            long t = a + (long) ((i + r.nextDouble()) * step);
            List<String> rcpts = new ArrayList<>();
            for (int j = 1 + r.nextInt(4); j > 0; j--) {
                rcpts.add(word(7) + "@" + spamDomain());
            }
            String d = spamDomain();
            Mail m = mail(word(6) + "@" + d, rcpts, SPAM_SUBJECTS, t, d);
            String ip = relayNets[r.nextInt(2)] + "." + (2 + r.nextInt(253));
            inbound(t, ip, word(8) + ".example", m);
        }
        s.expect("open_relay_accepted", "host", SERVER);
        expectRotatingNets(s, relayNets);
        current = null;
        benign("cidr", "192.0.2.0/24", "partner MTAs sending inbound mail");
        benign("cidr", "192.168.16.0/24", "the LAN: SBS and the users' PCs");
        for (String u : users) {
            benign("user", u, "a user sending from Outlook");
        }
    }

    // --- mail -------------------------------------------------------------------------------------------------------

    private Mail mail(String sender, List<String> rcpts, String[] subjects, long t, String idHost) {
        StringBuilder id = new StringBuilder(48);
        if (idHost == null) {
            id.append(SERVER);
            for (int i = 0; i < 19; i++) {
                id.append(ALNUM[r.nextInt(ALNUM.length)]);
            }
            id.append("@sbs.smallbiz.local");
        } else {
            id.append(msgid(idHost));
        }
        return new Mail(id.toString(), sender, rcpts, 1500 + r.nextInt(40_000), pick(subjects), t);
    }

    /**
     * A message taken in over SMTP from {@code ip}: the SMTP service's session (every recipient accepted: with the
     * relay restrictions gone, outside recipients too), then tracking: 1019 and 1033 for each recipient, then local
     * delivery or the transfer to the recipient's MX.
     */
    private void inbound(long t, String ip, String helo, Mail m) {
        long s = t;
        smtpLine(s, ip, "-", "EHLO", "+" + helo, 250, 0, 275, 14 + helo.length(), 0);
        s += 300 + r.nextInt(900);
        smtpLine(s, ip, helo, "MAIL", "+FROM:<" + m.sender() + ">", 250, 0, 57, 14 + m.sender().length(), 0);
        for (String rc : m.rcpts()) {
            s += 100 + r.nextInt(400);
            smtpLine(s, ip, helo, "RCPT", "+TO:<" + rc + ">", 250, 0, 32 + rc.length(), 10 + rc.length(), 0);
        }
        s += 500 + r.nextInt(3000);
        smtpLine(s, ip, helo, "DATA", "<" + m.msgid() + ">", 250, 0, 130, m.bytes(), 200 + r.nextInt(3000));
        for (String rc : m.rcpts()) {
            track(s, ip, helo, "-", rc, 1019, m);
        }
        s += 100 + r.nextInt(400);
        smtpLine(s, ip, helo, "QUIT", helo, 240, (int) (s - t), 68, 4, 0);
        for (String rc : m.rcpts()) {
            track(s + 200, LAN_IP, SERVER, "-", rc, 1033, m);
        }
        List<String> local = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (String rc : m.rcpts()) {
            (rc.endsWith("@" + DOMAIN) ? local : outside).add(rc);
        }
        for (String rc : local) {
            track(s + 700 + r.nextInt(800), LAN_IP, SERVER, "-", rc, 1028, m);
        }
        if (!outside.isEmpty()) {
            outbound(s + 500, new Mail(m.msgid(), m.sender(), outside, m.bytes(), m.subject(), m.origin()), true);
        }
    }

    /** A message submitted by a mailbox user (Outlook): 1027 and 1033 for each recipient. */
    private void submitted(long t, Mail m) {
        for (String rc : m.rcpts()) {
            track(t, LAN_IP, SERVER, "-", rc, 1027, m);
        }
        for (String rc : m.rcpts()) {
            track(t + 300, LAN_IP, SERVER, "-", rc, 1033, m);
        }
    }

    /**
     * Routing and transfer to each recipient's MX (1034, 1020, 1031); relayed spam sometimes fails at the remote end,
     * and the server generates a non-delivery report (1030) for the forged sender.
     */
    private void outbound(long t, Mail m, boolean spam) {
        for (String rc : m.rcpts()) {
            String domain = rc.substring(rc.indexOf('@') + 1);
            String mx = "mx." + domain;
            long s = t + r.nextInt(1500);
            track(s, LAN_IP, SERVER, "-", rc, 1034, m);
            track(s + 200, LAN_IP, SERVER, "-", rc, 1020, m);
            if (spam && r.nextInt(100) < 20) {
                track(s + 3000 + r.nextInt(30_000), LAN_IP, SERVER, "-", rc, 1030, m);
                continue;
            }
            track(s + 1500 + r.nextInt(4000), remoteMxIp(domain), mx, mx, rc, 1031, m);
        }
    }

    /** One line of the SMTP service's log: a command of the client at {@code ip}, and the reply code. */
    private void smtpLine(long t, String ip, String helo, String verb, String query, int status, int win32,
                          int scBytes, int csBytes, int millis) {
        b.setLength(0);
        clock.iso(b, t);
        b.append(' ').append(ip).append(' ').append(helo).append(" SMTPSVC1 ").append(SERVER).append(' ')
                .append(LAN_IP).append(" 0 ").append(verb).append(" - ").append(query).append(' ').append(status)
                .append(' ').append(win32).append(' ').append(scBytes).append(' ').append(csBytes).append(' ')
                .append(millis).append(" SMTP - - - -");
        emit(smtp, t);
    }

    /** One line of the Exchange 2003 tracking log: event {@code event} of {@code m} for {@code rcpt}. */
    private void track(long t, String clientIp, String clientHost, String partner, String rcpt, int event, Mail m) {
        b.setLength(0);
        b.append(clock.plainDate(t)).append('\t');
        clock.gmt(b, t);
        b.append('\t').append(clientIp).append('\t').append(clientHost).append('\t').append(partner).append('\t')
                .append(SERVER).append('\t').append(LAN_IP).append('\t').append(rcpt).append('\t').append(event)
                .append('\t').append(m.msgid()).append("\t0\t0\t").append(m.bytes()).append('\t')
                .append(m.rcpts().size()).append('\t').append(clock.plainDate(m.origin())).append(' ');
        clock.gmt(b, m.origin());
        b.append("\t0\t").append(SMTP_VERSION).append("\t-\t").append(m.subject()).append('\t').append(m.sender())
                .append("\t-");
        emit(tracking, t);
    }
}
