package io.relaywatch.jobs.generate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small company on Exchange Server 2019: one server EX01 ({@code 10.20.0.10}, published as {@code 198.51.100.20}),
 * the accepted domain contoso.example, the Front End's "Default Frontend EX01" on port 25 and "Client Frontend EX01"
 * on 587, and Outlook on the web behind IIS. Its logs are written as the product writes them: UTF-8 with a
 * byte-order mark, CRLF, W3C headers, one file per hour ({@code RECVyyyymmddhh-1.LOG} of the Front End's receive
 * connectors, {@code SENDyyyymmddhh-1.LOG} of the transport service's send connector, {@code MSGTRKyyyymmddhh-1.LOG}
 * message tracking with its 30 fields) and IIS's daily {@code u_exyymmdd.log} with Exchange's default fields.
 *
 * <p>The logs agree with each other: the receive log's {@code 250 2.6.0 ... [InternalId=N, ...] Queued mail for
 * delivery} names the tracking log's internal-message-id N, its {@code receiving message} note equals the tracking
 * RECEIVE's source-context, the send log's {@code sending message with RecordId N} is the same N, and an
 * authenticated session says who it is (a note {@code authenticated} naming CONTOSO&#92;user) before {@code 235}.
 *
 * <p>Stories: a user's password used on 587 from rotating addresses of one foreign /24 after an OWA logon from there;
 * an open relay by misconfiguration (a receive connector "EX01\Anonymous Relay" that grants anonymous sessions
 * SMTPAcceptAnyRecipient for a remote range far too wide) with deferrals, backscatter and blocklisting; and a password
 * spray at OWA and EWS from one address.
 */
final class ExchangeSite extends Site {

    /** About four times what the stories take. */
    static final long MIN_SCALE = 150_000;

    static final String DOMAIN = "contoso.example";
    static final String NETBIOS = "CONTOSO";
    static final String SERVER = "EX01";
    static final String FQDN = "EX01.contoso.example";
    static final String LAN_IP = "10.20.0.10";
    static final String PUBLIC_IP = "198.51.100.20";
    static final String OWA_HOST = "mail.contoso.example";
    static final String LINK_LOCAL = "fe80::8d1c:5a2e:31b7:9a10";
    static final String DEFAULT_FE = "EX01\\Default Frontend EX01";
    static final String CLIENT_FE = "EX01\\Client Frontend EX01";
    static final String RELAY_FE = "EX01\\Anonymous Relay";
    static final String SEND_CONNECTOR = "Outbound to Internet";
    static final String VERSION = "15.02.1118.007";
    static final String SYSTEM_SENDER = "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@" + DOMAIN;
    /** The big mail provider's outbound pool: hundreds of addresses across one /16. */
    static final String PROVIDER_NET = "209.85";
    static final String PROVIDER_DOMAIN = "mailbox-provider.example";

    static final String PROTOCOL_FIELDS = "date-time,connector-id,session-id,sequence-number,local-endpoint,"
            + "remote-endpoint,event,data,context";
    static final String TRACKING_FIELDS = "date-time,client-ip,client-hostname,server-ip,server-hostname,"
            + "source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,"
            + "recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,"
            + "message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,"
            + "original-server-ip,custom-data,transport-traffic-type,log-id,schema-version";
    static final String IIS_FIELDS = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
            + "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    static final String ANONYMOUS = "SMTPSubmit SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender "
            + "AcceptRoutingHeaders";
    /** What Add-ADPermission ... "ANONYMOUS LOGON" ... ms-Exch-SMTP-Accept-Any-Recipient gives anonymous sessions. */
    static final String ANONYMOUS_RELAY = "SMTPSubmit SMTPAcceptAnyRecipient SMTPAcceptAnySender "
            + "SMTPAcceptAuthoritativeDomainSender AcceptRoutingHeaders";
    static final String AUTHENTICATED = "SMTPSubmit SMTPAcceptAnyRecipient SMTPAcceptAuthenticationFlag "
            + "SMTPAcceptAnySender SMTPAcceptAuthoritativeDomainSender BypassAntiSpam BypassMessageSizeLimit "
            + "AcceptRoutingHeaders";
    static final String EHLO_REPLY = " Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS "
            + "X-ANONYMOUSTLS AUTH NTLM X-EXPS GSSAPI NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST";
    static final String EHLO_REPLY_TLS = " Hello [%s] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES AUTH GSSAPI "
            + "NTLM LOGIN X-EXPS 8BITMIME BINARYMIME CHUNKING SMTPUTF8 XRDST";
    static final String TLS_NOTE = "TLS protocol SP_PROT_TLS1_2_SERVER negotiation succeeded using bulk encryption "
            + "algorithm CALG_AES_256 with strength 256 bits, MAC hash algorithm CALG_SHA_384 with strength 0 bits and "
            + "key exchange algorithm CALG_ECDH_EPHEM with strength 384 bits";

    static final String[] SUBJECTS = {"Invoice 4711, November", "RE: Meeting tomorrow", "Delivery note, week 46",
        "Quarterly report", "FW: Offer", "Lunch?", "Your order has shipped", "RE: RE: contract draft",
        "Minutes of the \"kick-off\"", "Travel expenses"};
    static final String[] SPAM_SUBJECTS = {"Cheap meds, fast delivery", "You have won!!!", "Re: invoice overdue",
        "Urgent business proposal", "Your parcel is waiting"};
    static final String CHROME = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)"
            + "+Chrome/130.0.0.0+Safari/537.36+Edg/130.0.0.0";
    static final String OUTLOOK = "Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17928;+Pro)";
    static final String[] PHONES = {"Apple-iPhone15C2/2104.10", "Apple-iPhone14C5/2107.212", "Outlook-iOS/723.4027091.prod.iphone+(4.2438.0)",
        "Android-Mail/2024.10.06.684152893.Release"};
    static final String LOGON_REFERER = "https://" + OWA_HOST + "/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2f"
            + OWA_HOST + "%2fowa%2f";
    static final String[] SPRAY_GUESSES = {"admin", "administrator", "info", "test", "scanner", "backup", "office",
        "reception", "accounting", "hr", "sales", "support"};

    /** One message in the transport: its ids, sender, recipients and what happens to each. */
    private static final class Mail {
        final long id;
        final String messageId;
        final String networkId;
        final String sender;
        final List<Rcpt> rcpts;
        final int bytes;
        final String subject;
        final boolean originating;

        Mail(long id, String messageId, String networkId, String sender, List<Rcpt> rcpts, int bytes, String subject,
             boolean originating) {
            this.id = id;
            this.messageId = messageId;
            this.networkId = networkId;
            this.sender = sender;
            this.rcpts = rcpts;
            this.bytes = bytes;
            this.subject = subject;
            this.originating = originating;
        }
    }

    // the world
    private final String[] users;
    private final String[] userIps;
    private final String[][] userRemote;
    private final String[] userHelo;
    private final String[] providerIps;
    private final String[] providerHelos;
    private final String[] healthMailboxes;
    private final String stolenNet;
    private final String stolenUser;
    private final String[] relayNets;
    private final String sprayIp;

    private LogFile recv;
    private LogFile send;
    private LogFile tracking;
    private LogFile iis;
    private long sessionCounter;
    private long internalCounter;
    private long eventCounter;

    ExchangeSite(Generator.Options o) {
        super(o);
        long userMessages = (long) (o.scale() * 0.20 / 14); // the Outlook users' share of the lines
        int count = (int) Math.max(16, Math.min(1600, userMessages / (o.days() * 25L)));
        users = userNames(count);
        userIps = new String[count];
        userRemote = new String[count][];
        userHelo = new String[count];
        for (int i = 0; i < count; i++) {
            userIps[i] = "10.20." + (5 + i / 200) + "." + (30 + i % 200);
            userHelo[i] = "LAPTOP-" + word(7).toUpperCase(Locale.ROOT);
            if (r.nextInt(10) < 3) {
                // one home line (DSL pool) and up to two mobile addresses: at most two networks
                int n = 1 + r.nextInt(3);
                userRemote[i] = new String[n];
                userRemote[i][0] = "84.150." + r.nextInt(256) + "." + (1 + r.nextInt(254));
                for (int k = 1; k < n; k++) {
                    userRemote[i][k] = "176.0." + r.nextInt(256) + "." + (1 + r.nextInt(254));
                }
            }
        }
        makeDomains();
        providerIps = new String[300];
        providerHelos = new String[providerIps.length];
        for (int i = 0; i < providerIps.length; i++) {
            providerIps[i] = PROVIDER_NET + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
            providerHelos[i] = "mail-" + word(2) + r.nextInt(10) + "-f" + (1 + r.nextInt(200)) + ".outbound."
                    + PROVIDER_DOMAIN;
        }
        healthMailboxes = new String[] {healthMailbox(), healthMailbox()};
        stolenNet = pick(STOLEN_NETS);
        String s;
        do {
            s = users[r.nextInt(count)];
        } while (userRemote[indexOf(s)] != null);
        stolenUser = s;
        relayNets = twoRelayNets();
        sprayIp = pick(PROBE_NETS) + "." + (2 + r.nextInt(250));
        sessionCounter = 0x08DE1A0000000000L + ((long) r.nextInt(1 << 24) << 16);
        internalCounter = 2_000_000_000_000L + r.nextInt(1 << 30);
        eventCounter = 60_000_000L + r.nextInt(1 << 20);
        kinds = new Kind[] {
            new Kind(0.20, true, this::outlookUser),
            new Kind(0.14, true, this::providerInbound),
            new Kind(0.06, true, this::partnerInbound),
            new Kind(0.08, true, this::roamingUser),
            new Kind(0.30, true, this::webUse),
            // Managed Availability probes and internet noise know no office hours
            new Kind(0.12, false, this::probes),
            new Kind(0.10, false, this::noise)};
    }

    private int indexOf(String user) {
        for (int i = 0; i < users.length; i++) {
            if (users[i].equals(user)) {
                return i;
            }
        }
        return -1;
    }

    private String healthMailbox() {
        StringBuilder h = new StringBuilder("HealthMailbox");
        for (int i = 0; i < 32; i++) {
            h.append(Character.toLowerCase(HEX[r.nextInt(16)]));
        }
        return h.toString();
    }

    // --- files ------------------------------------------------------------------------------------------------------

    @Override
    void openFiles(Path logs) {
        String transport = SERVER + "/TransportRoles/Logs/";
        recv = open(logs, transport + "FrontEnd/ProtocolLog/SmtpReceive/RECVyyyymmddhh-1.LOG",
                "exchange_smtp_protocol", LogFile.Style.WINDOWS_BOM, hourly(transport
                        + "FrontEnd/ProtocolLog/SmtpReceive/RECV", "15.0.0.0", "SMTP Receive Protocol Log",
                        PROTOCOL_FIELDS));
        send = open(logs, transport + "Hub/ProtocolLog/SmtpSend/SENDyyyymmddhh-1.LOG", "exchange_smtp_protocol",
                LogFile.Style.WINDOWS_BOM, hourly(transport + "Hub/ProtocolLog/SmtpSend/SEND", "15.0.0.0",
                        "SMTP Send Protocol Log", PROTOCOL_FIELDS));
        tracking = open(logs, transport + "MessageTracking/MSGTRKyyyymmddhh-1.LOG", "exchange_tracking",
                LogFile.Style.WINDOWS_BOM, hourly(transport + "MessageTracking/MSGTRK", VERSION,
                        "Message Tracking Log", TRACKING_FIELDS));
        String w3svc = SERVER + "/inetpub/logs/LogFiles/W3SVC1/u_ex";
        iis = open(logs, w3svc + "yymmdd.log", "iis_w3c", LogFile.Style.WINDOWS, new LogFile.Rotation(Clock.DAY,
                ms -> w3svc + clock.compact(ms, false).substring(2) + ".log",
                ms -> {
                    StringBuilder d = new StringBuilder("#Date: ");
                    clock.iso(d, ms);
                    return List.of("#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
                            d.toString(), "#Fields: " + IIS_FIELDS);
                }));
    }

    /** Exchange's hourly files {@code <prefix>yyyymmddhh-1.LOG} with their W3C header. */
    private LogFile.Rotation hourly(String prefix, String version, String type, String fields) {
        return new LogFile.Rotation(3_600_000L, ms -> prefix + clock.compact(ms, true) + "-1.LOG", ms -> {
            StringBuilder d = new StringBuilder("#Date: ");
            clock.isoMillis(d, ms);
            return List.of("#Software: Microsoft Exchange Server", "#Version: " + version, "#Log-type: " + type,
                    d.toString(), "#Fields: " + fields);
        });
    }

    @Override
    Map<String, Object> config() {
        return detectConfig(List.of("198.51.100.0/24"), DOMAIN, LAN_IP);
    }

    // --- background -------------------------------------------------------------------------------------------------

    /** A LAN user's message from Outlook: submitted from the mailbox, delivered locally or sent out. */
    private void outlookUser(long t) {
        int u = r.nextInt(users.length);
        storeSubmit(t, u, null, benignRcpts(1 + (r.nextInt(5) < 3 ? 0 : 1 + r.nextInt(2)), t), "MOMT");
    }

    private void providerInbound(long t) {
        int p = r.nextInt(providerIps.length);
        List<Rcpt> rcpts = new ArrayList<>(2);
        for (int i = r.nextInt(3) < 2 ? 1 : 2; i > 0; i--) {
            rcpts.add(local(users[r.nextInt(users.length)]));
        }
        Mail m = mail(word(5) + "." + word(6) + "@" + PROVIDER_DOMAIN, rcpts, SUBJECTS, false,
                "mx." + PROVIDER_DOMAIN);
        receive(t, DEFAULT_FE, 25, providerIps[p], providerHelos[p], null, ANONYMOUS, List.of(m), 0, true);
    }

    private void partnerInbound(long t) {
        int p = r.nextInt(Generator.PARTNER_HOSTS.length);
        String host = Generator.PARTNER_HOSTS[p];
        List<Rcpt> rcpts = List.of(local(users[r.nextInt(users.length)]));
        Mail m = mail(word(6) + "@" + host.substring(host.indexOf('.') + 1), rcpts, SUBJECTS, false, host);
        receive(t, DEFAULT_FE, 25, Generator.PARTNER_IPS[p], host, null, ANONYMOUS, List.of(m), 0, r.nextBoolean());
    }

    /** A user away from the office sending through the Client Frontend from home or a phone. */
    private void roamingUser(long t) {
        int u = r.nextInt(users.length);
        for (int tries = 0; userRemote[u] == null && tries < 20; tries++) {
            u = r.nextInt(users.length);
        }
        if (userRemote[u] == null) {
            outlookUser(t);
            return;
        }
        String ip = userRemote[u][r.nextInt(userRemote[u].length)];
        List<Mail> mails = new ArrayList<>(2);
        for (int i = r.nextInt(4) == 0 ? 2 : 1; i > 0; i--) {
            mails.add(mail(users[u] + "@" + DOMAIN, benignRcpts(1 + r.nextInt(2), t), SUBJECTS, true, FQDN));
        }
        receive(t, CLIENT_FE, 587, ip, userHelo[u], users[u], AUTHENTICATED, mails, 0, true);
    }

    /** Recipients of ordinary mail: colleagues, or people at the usual outside domains (rarely greylisted or gone). */
    private List<Rcpt> benignRcpts(int n, long t) {
        List<Rcpt> rcpts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) < 4) {
                rcpts.add(local(users[r.nextInt(users.length)]));
            } else {
                int d = r.nextInt(domains.length);
                rcpts.add(ordinary(word(5) + "@" + domains[d], d));
            }
        }
        return rcpts;
    }

    private Rcpt ordinary(String rcpt, int d) {
        int roll = r.nextInt(100);
        if (roll < 3) {
            return new Rcpt(rcpt, DEFERRED, domainMx[d], domainMxIp[d], "451 4.7.1 Greylisted, please try again later");
        }
        if (roll < 5) {
            return new Rcpt(rcpt, BOUNCED, domainMx[d], domainMxIp[d], "550 5.1.1 <" + rcpt
                    + ">: Recipient address rejected: User unknown in virtual mailbox table");
        }
        return sent(rcpt, domainMx[d], domainMxIp[d]);
    }

    private Rcpt local(String user) {
        return new Rcpt(user + "@" + DOMAIN, LOCAL, null, null, null);
    }

    private void webUse(long t) {
        int u = r.nextInt(users.length);
        boolean away = userRemote[u] != null && r.nextInt(3) == 0;
        String ip = away ? userRemote[u][r.nextInt(userRemote[u].length)] : userIps[u];
        switch (r.nextInt(6)) {
            case 0 -> {
                long next = owaSession(t, users[u], ip, r.nextInt(40) == 0);
                if (r.nextInt(3) == 0) {
                    storeSubmit(next + 20_000L + r.nextInt(60_000), u, away ? ip : null,
                            benignRcpts(1 + r.nextInt(2), t), "OWA");
                }
            }
            case 1 -> {
                // Outlook's EWS call: the anonymous first leg of NTLM, then the request as the user
                iis(t, "POST", "/EWS/Exchange.asmx", cafe(), "-", ip, OUTLOOK, "-", 401, 2, 5, 1);
                iis(t + 20, "POST", "/EWS/Exchange.asmx", cafe(), NETBIOS + "\\" + users[u], ip, OUTLOOK, "-", 200,
                        0, 0, 15 + r.nextInt(200));
            }
            case 2 -> {
                String query = "mailboxId=" + guid() + "@" + DOMAIN + cafe();
                iis(t, "POST", "/mapi/emsmdb/", query, "-", ip, OUTLOOK, "-", 401, 2, 5, 1);
                iis(t + 15, "POST", "/mapi/emsmdb/", query, NETBIOS + "\\" + users[u], ip, OUTLOOK, "-", 200, 0, 0,
                        10 + r.nextInt(900));
            }
            case 3 -> {
                String phoneIp = userRemote[u] != null ? userRemote[u][userRemote[u].length - 1] : userIps[u];
                iis(t, "POST", "/Microsoft-Server-ActiveSync/default.eas", "Cmd=" + (r.nextBoolean() ? "Ping" : "Sync")
                        + "&User=" + users[u] + "&DeviceId=" + deviceId(u) + "&DeviceType=iPhone" + cafe(),
                        NETBIOS + "\\" + users[u], phoneIp, PHONES[u % PHONES.length], "-", 200, 0, 0,
                        200 + r.nextInt(480_000));
            }
            case 4 -> {
                iis(t, "POST", "/Autodiscover/Autodiscover.xml", cafe(), "-", ip, OUTLOOK, "-", 401, 2, 5, 0);
                iis(t + 10, "POST", "/Autodiscover/Autodiscover.xml", cafe(), users[u] + "@" + DOMAIN, ip, OUTLOOK,
                        "-", 200, 0, 0, 30 + r.nextInt(90));
            }
            default -> iis(t, "POST", "/owa/service.svc", "action=GetItem&UA=0&ID=-" + (1 + r.nextInt(60))
                    + "&AC=1" + cafe(), users[u], ip, CHROME, "https://" + OWA_HOST + "/owa/", 200, 0, 0,
                    15 + r.nextInt(300));
        }
    }

    private String deviceId(int u) {
        return "ApplF17" + Integer.toHexString(0x1000000 + users[u].hashCode() & 0xFFFFFFF).toUpperCase(Locale.ROOT);
    }

    /**
     * A forms logon to Outlook on the web and a few requests after it; {@code typo} adds one failed logon first (2013
     * and later log it with {@code LogoffReason=NoCookiesGetOrE14AuthPost} and the name tried). Returns the time of
     * its last request.
     */
    private long owaSession(long t, String user, String ip, boolean typo) {
        if (typo) {
            owaFailure(t, user, ip, CHROME);
            t += 8000 + r.nextInt(10_000);
        }
        iis(t, "POST", "/owa/auth.owa", cafe() + "&encoding=;", user + "@" + DOMAIN, ip, CHROME, LOGON_REFERER, 302,
                0, 0, 20 + r.nextInt(200));
        iis(t + 150, "GET", "/owa/", "&ClientId=" + guid().replace("-", "").toUpperCase(Locale.ROOT) + cafe()
                + "&encoding=;", user, ip, CHROME, LOGON_REFERER, 200, 0, 0, 30 + r.nextInt(200));
        int n = r.nextInt(4);
        for (int i = 1; i <= n; i++) {
            iis(t + 1000L * (2 + i), "POST", "/owa/service.svc", "action=FindItem&UA=0&ID=-" + (1 + r.nextInt(60))
                    + "&AC=1" + cafe(), user, ip, CHROME, "https://" + OWA_HOST + "/owa/", 200, 0, 0,
                    15 + r.nextInt(300));
        }
        return t + 1000L * (2 + n);
    }

    private void owaFailure(long t, String tried, String ip, String agent) {
        iis(t, "POST", "/owa/auth.owa", cafe() + "&LogoffReason=NoCookiesGetOrE14AuthPost&encoding=;", tried, ip,
                agent, LOGON_REFERER, 302, 0, 0, 40 + r.nextInt(300));
        iis(t + 120, "GET", "/owa/auth/logon.aspx", "replaceCurrent=1&reason=2&url=https%3a%2f%2f" + OWA_HOST
                + "%2fowa%2f" + cafe(), "-", ip, agent, LOGON_REFERER, 200, 0, 0, 5 + r.nextInt(20));
    }

    /** Managed Availability: the server's probes of its own services, from ::1 as a HealthMailbox. */
    private void probes(long t) {
        String hm = healthMailboxes[r.nextInt(healthMailboxes.length)] + "@" + DOMAIN;
        switch (r.nextInt(4)) {
            case 0 -> iis(t, "GET", "/owa/healthcheck.htm", cafe(), "-", "::1", "AMProbe/Local/ClientAccess", "-",
                    200, 0, 0, 1 + r.nextInt(5));
            case 1 -> {
                iis(t, "POST", "/EWS/Exchange.asmx", cafe(), "-", "::1", "AMProbe/Local/ClientAccess", "-", 401, 2, 5,
                        0);
                iis(t + 30, "POST", "/EWS/Exchange.asmx", cafe(), hm, "::1", "AMProbe/Local/ClientAccess", "-", 200,
                        0, 0, 20 + r.nextInt(80));
            }
            case 2 -> iis(t, "POST", "/Microsoft-Server-ActiveSync/default.eas", "Cmd=FolderSync&User=" + hm
                    + "&DeviceId=EASProbeDeviceId&DeviceType=EASProbeDeviceType" + cafe(), hm, "::1",
                    "TestActiveSyncConnectivity", "-", 200, 0, 0, 30 + r.nextInt(100));
            default -> iis(t, "GET", "/ecp/", cafe(), hm, "::1", "AMProbe/Local/ClientAccess", "-", 200, 0, 0,
                    10 + r.nextInt(50));
        }
    }

    /** Internet noise: spam to unknown mailboxes, relay attempts, guessed SMTP passwords, each from a random address. */
    private void noise(long t) {
        String ip = randomIp();
        int kind = r.nextInt(4);
        if (kind == 3) {
            authFailure(t, ip, pick(SPRAY_GUESSES) + "@" + DOMAIN);
            return;
        }
        Session s = new Session(recv, DEFAULT_FE, LAN_IP + ":25", ip + ":" + (1024 + r.nextInt(64000)), t);
        s.open(word(6 + r.nextInt(4)), false);
        s.line('*', ANONYMOUS, "Set Session Permissions");
        s.step(200);
        s.line('<', "MAIL FROM:<" + word(6) + "@" + spamDomain() + ">", null);
        s.line('>', "250 2.1.0 Sender OK", null);
        s.step(100);
        if (kind == 2) {
            s.line('<', "RCPT TO:<" + word(7) + "@" + spamDomain() + ">", null);
            s.line('*', "Tarpit for '0.00:00:05'", null);
            s.step(5000);
            s.line('>', "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain", null);
        } else {
            s.line('<', "RCPT TO:<" + word(6) + "@" + DOMAIN + ">", null);
            s.line('>', "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", null);
        }
        s.step(300);
        s.line('-', null, "Remote(SocketError)");
    }

    /** A failed AUTH LOGIN at the Client Frontend. */
    private void authFailure(long t, String ip, String tried) {
        Session s = new Session(recv, CLIENT_FE, LAN_IP + ":587", ip + ":" + (1024 + r.nextInt(64000)), t);
        s.open(word(8), true);
        s.line('<', "AUTH LOGIN", null);
        s.line('>', "334 <authentication response>", null);
        s.step(300);
        s.line('>', "334 <authentication response>", null);
        s.step(2000);
        s.line('*', null, "Inbound AUTH LOGIN failed because of LogonDenied");
        s.line('*', null, "User Name: " + tried);
        s.line('>', "535 5.7.3 Authentication unsuccessful", null);
        s.step(400);
        s.line('-', null, "Remote(ConnectionReset)");
    }

    // --- the stories ------------------------------------------------------------------------------------------------

    @Override
    void planStories() {
        stolenAccount();
        openRelay();
        owaSpray();
        current = null;
        oneOffBenign();
    }

    private void stolenAccount() {
        long a = at(o.days() >= 3 ? (o.days() / 2) * 24 + 22 : Math.max(3, hours - 8));
        long z = a + 7 * 3_600_000L;
        Story s = story("stolen_account", "the password of " + stolenUser + " used with SMTP AUTH at the Client "
                + "Frontend (587) from rotating addresses of " + stolenNet + ".0/24, a new HELO each session, sessions "
                + "of 2-9 minutes, mail to random outside domains; an OWA logon from that network came first");
        List<Integer> hosts = shuffledHosts();
        String owaIp = stolenNet + "." + hosts.get(0);
        owaSession(a - 3_600_000L - r.nextInt(3_600_000), stolenUser, owaIp, false);
        stolenSessions(a, z, stolenNet, hosts, (t, ip, helo, n, duration) -> {
            List<Mail> mails = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = 1 + r.nextInt(3);
                List<Rcpt> rc = new ArrayList<>(k);
                for (int j = 0; j < k; j++) {
                    boolean spam = r.nextInt(10) < 7;
                    String d = spam ? spamDomain() : domains[r.nextInt(domains.length)];
                    rc.add(outcome(word(7) + "@" + d, d, t, r.nextInt(10) < 3, PUBLIC_IP));
                }
                mails.add(mail(stolenUser + "@" + DOMAIN, rc, SPAM_SUBJECTS, true, helo.replace("[", "")
                        .replace("]", "")));
            }
            receive(t, CLIENT_FE, 587, ip, helo, stolenUser, AUTHENTICATED, mails, duration, true);
        });
        expectStolenAccount(s, stolenUser, stolenNet);
    }

    private void openRelay() {
        long a = at(Math.max(2, 0.15 * hours));
        long z = at(0.85 * hours);
        Story s = story("open_relay", "the receive connector " + RELAY_FE + " was meant for the copiers of "
                + "10.0.0.0/8 but its RemoteIPRanges say 100.0.0.0/8, and ANONYMOUS LOGON holds "
                + "ms-Exch-SMTP-Accept-Any-Recipient on it: it relays for anonymous clients of " + relayNets[0]
                + ".0/24 and " + relayNets[1] + ".0/24, from outside senders to outside recipients; deferrals at many "
                + "domains, bounces to the forged senders (backscatter), then blocklist refusals");
        int messages = 300;
        double step = (double) (z - a) / messages;
        for (int i = 0; i < messages; i++) {
            long t = a + (long) ((i + r.nextDouble()) * step);
            int n = 1 + r.nextInt(5);
            List<Rcpt> rcpts = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                String d = spamDomain();
                rcpts.add(outcome(word(7) + "@" + d, d, t, true, PUBLIC_IP));
            }
            String senderDomain = spamDomain();
            Mail m = mail(word(6) + "@" + senderDomain, rcpts, SPAM_SUBJECTS, false, senderDomain);
            String ip = relayNets[r.nextInt(2)] + "." + (2 + r.nextInt(253));
            receive(t, RELAY_FE, 25, ip, word(8) + ".example", null, ANONYMOUS_RELAY, List.of(m), 0, false);
        }
        s.expect("open_relay_accepted", "host", SERVER)
                .expect("queue_backlog", "host", SERVER)
                .expect("backscatter", "host", SERVER)
                .expect("blacklisted_by_remote", "host", SERVER);
        expectRotatingNets(s, relayNets);
    }

    private void owaSpray() {
        long a = at(0.4 * hours);
        Story s = story("owa_password_spray", "one address, " + sprayIp + ", tries many accounts at Outlook on the "
                + "web (failed forms logons) and at EWS (401 1 1326) for two hours");
        List<String> names = new ArrayList<>(List.of(SPRAY_GUESSES));
        for (int i = 0; i < 60; i++) {
            names.add(users[r.nextInt(users.length)]);
        }
        long t = a;
        for (int i = 0; i < 150; i++) {
            t += 20_000L + r.nextInt(50_000);
            String name = names.get(r.nextInt(names.size()));
            if (r.nextInt(4) == 0) {
                iis(t, "POST", "/EWS/Exchange.asmx", cafe(), NETBIOS + "\\" + name, sprayIp, "ExchangeServicesClient"
                        + "/15.00.0913.015", "-", 401, 1, 1326, 3 + r.nextInt(30));
            } else {
                owaFailure(t, name + "@" + DOMAIN, sprayIp, CHROME);
            }
        }
        s.expect("auth_bruteforce", "ip", sprayIp);
    }

    private void oneOffBenign() {
        // the newsletter: one message to 800 customers from the marketing tool on the LAN, authenticated
        long t = at(o.days() >= 2 ? 34 : 10);
        List<Rcpt> rcpts = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            int d = r.nextInt(domains.length);
            rcpts.add(ordinary("customer" + i + "@" + domains[d], d));
        }
        Mail news = mail("newsletter@" + DOMAIN, rcpts, new String[] {"Our November newsletter"}, true, FQDN);
        receive(t, CLIENT_FE, 587, "10.20.1.50", "marketing01." + DOMAIN, "newsletter", AUTHENTICATED, List.of(news),
                240_000L, true);
        benign("user", "newsletter", "a newsletter to 800 recipients at many domains, once, from an authenticated "
                + "list account on the LAN");
        for (int u = 0; u < users.length; u++) {
            if (userRemote[u] == null) {
                continue;
            }
            for (String ip : userRemote[u]) {
                benign("ip", ip, "a home or mobile address of " + users[u] + " (SMTP AUTH at 587, OWA, ActiveSync)");
            }
        }
        benign("cidr", PROVIDER_NET + ".0.0/16", "a big mail provider's outbound pool delivering to local users");
        benign("cidr", "192.0.2.0/24", "partner MTAs sending inbound mail");
        benign("cidr", "10.0.0.0/8", "the LAN: EX01, users, the marketing tool");
        benign("ip", "::1", "Managed Availability probes");
        for (String hm : healthMailboxes) {
            benign("user", hm.toLowerCase(Locale.ROOT), "a Managed Availability probe mailbox");
        }
        for (String u : users) {
            if (!u.equals(stolenUser)) {
                benign("user", u, "a user: Outlook on the LAN, OWA, phones, roaming with SMTP AUTH");
            }
        }
    }

    // --- transport --------------------------------------------------------------------------------------------------

    private Mail mail(String sender, List<Rcpt> rcpts, String[] subjects, boolean originating, String idHost) {
        return new Mail(internalCounter += 1 + r.nextInt(4), "<" + msgid(idHost) + ">", guid(), sender, rcpts,
                2000 + r.nextInt(60_000), pick(subjects), originating);
    }

    /**
     * A message submitted from a mailbox (Outlook, OWA): SUBMIT and RECEIVE by the store driver, then delivery;
     * {@code clientIp} is where the user was (logged as original-client-ip), or null on the LAN.
     */
    private void storeSubmit(long t, int u, String clientIp, List<Rcpt> rcpts, String clientType) {
        Mail m = mail(users[u] + "@" + DOMAIN, rcpts, SUBJECTS, true, FQDN);
        StringBuilder ctx = new StringBuilder(200);
        ctx.append("MDB:").append(mdb()).append(", Mailbox:").append(guid()).append(", Event:")
                .append(eventCounter += 1 + r.nextInt(40)).append(", MessageClass:IPM.Note, CreationTime:");
        clock.isoMillis(ctx, t - 200 - r.nextInt(2000));
        ctx.append(", ClientType:").append(clientType);
        String context = ctx.toString();
        track(t, "", "", "", SERVER, context, "", "STOREDRIVER", "SUBMIT", m, "", "", "", "", m.sender,
                "", "Originating", clientIp == null ? "" : clientIp, "", "S:DeliveryPriority=Normal");
        track(t + 40, LINK_LOCAL, FQDN, LINK_LOCAL + "%4", SERVER, context, "", "STOREDRIVER", "RECEIVE", m,
                recipients(m.rcpts), "To", "", "", m.sender, "04I: ", "Originating", clientIp == null ? "" : clientIp,
                LINK_LOCAL + "%4", "S:DeliveryPriority=Normal;S:AccountForest=" + DOMAIN);
        deliver(t + 500 + r.nextInt(1500), m);
    }

    private String mdb() {
        return "5c5b1a0e-7d53-4cd3-9a1b-0f4e3a2b1c" + (10 + r.nextInt(2));
    }

    /** An SMTP session at a Front End receive connector; each message is queued, tracked and delivered. */
    private void receive(long t, String connector, int port, String clientIp, String helo, String account,
                         String permissions, List<Mail> mails, long duration, boolean tls) {
        Session s = new Session(recv, connector, LAN_IP + ":" + port, clientIp + ":" + (1024 + r.nextInt(64000)), t);
        s.open(helo, tls);
        if (account != null) {
            s.line('<', "AUTH LOGIN", null);
            s.line('>', "334 <authentication response>", null);
            s.step(200);
            s.line('>', "334 <authentication response>", null);
            s.step(150);
            s.line('*', permissions, "Set Session Permissions");
            s.line('*', NETBIOS + "\\" + account, "authenticated");
            s.line('>', "235 2.7.0 Authentication successful", null);
        } else {
            s.line('*', permissions, "Set Session Permissions");
        }
        long perMessage = duration > 0 ? duration / (mails.size() + 1) : 0;
        String sessionStart = s.startIso();
        int nth = 0;
        for (Mail m : mails) {
            nth++;
            s.step(perMessage > 0 ? perMessage / 2 : 100 + r.nextInt(300));
            s.line('<', "MAIL FROM:<" + m.sender + "> SIZE=" + m.bytes, null);
            String context = s.id + ";" + sessionStart + ";" + nth;
            s.line('*', context, "receiving message");
            s.line('>', "250 2.1.0 Sender OK", null);
            for (Rcpt rc : m.rcpts) {
                s.step(1 + r.nextInt(3));
                s.line('<', "RCPT TO:<" + rc.address() + ">", null);
                s.line('>', "250 2.1.5 Recipient OK", null);
            }
            s.step(perMessage > 0 ? perMessage / 2 : 50 + r.nextInt(200));
            s.line('<', "BDAT " + m.bytes + " LAST", null);
            s.step(100 + r.nextInt(200));
            s.line('*', null, "Proxy destination(s) obtained from OnProxyInboundMessage event. Correlation Id:"
                    + guid());
            int millis = 20 + r.nextInt(400);
            s.step(millis);
            s.line('>', "250 2.6.0 " + m.messageId + " [InternalId=" + m.id + ", Hostname=" + FQDN + "] " + m.bytes
                    + " bytes in 0." + (millis < 100 ? "0" : "") + (millis < 10 ? "0" : "") + millis + ", "
                    + (m.bytes / millis) + "." + (100 + r.nextInt(900)) + " KB/sec Queued mail for delivery", null);
            track(s.t + 5, clientIp, helo.replace("[", "").replace("]", ""), LAN_IP, SERVER, context, connector,
                    "SMTP", "RECEIVE", m, recipients(m.rcpts), "", "", "", m.sender,
                    m.originating ? "08I: " : "0cA: ", m.originating ? "Originating" : "Incoming", clientIp, LAN_IP,
                    "S:DeliveryPriority=Normal;S:AccountForest=" + DOMAIN);
            deliver(s.t + 800 + r.nextInt(2000), m);
        }
        s.step(100 + r.nextInt(400));
        s.line('<', "QUIT", null);
        s.line('>', "221 2.0.0 Service closing transmission channel", null);
        s.step(2);
        s.line('-', null, "Local");
    }

    /** The transport service delivers {@code m}: mailboxes here, the outside per next hop, then retries and NDRs. */
    private void deliver(long t, Mail m) {
        List<Rcpt> local = new ArrayList<>();
        Map<String, List<Rcpt>> byHost = new LinkedHashMap<>();
        for (Rcpt rc : m.rcpts) {
            if (rc.kind() == LOCAL) {
                local.add(rc);
            } else {
                byHost.computeIfAbsent(rc.relayHost(), h -> new ArrayList<>()).add(rc);
            }
        }
        if (!local.isEmpty()) {
            deliverLocally(t, m, local);
        }
        List<Rcpt> failed = new ArrayList<>();
        for (List<Rcpt> group : byHost.values()) {
            t += 150 + r.nextInt(600);
            failed.addAll(sendOut(t, m, group, 0));
        }
        if (!failed.isEmpty()) {
            nonDelivery(t + 500 + r.nextInt(1500), m, failed);
        }
    }

    private void deliverLocally(long t, Mail m, List<Rcpt> local) {
        StringBuilder info = new StringBuilder(80);
        clock.isoMillis(info, t - 900);
        info.append(";SRV=").append(FQDN).append(":TOTAL-SUB=0.").append(100 + r.nextInt(800))
                .append("|SA=0.0").append(10 + r.nextInt(89));
        track(t, "", "", LAN_IP, SERVER, "", "", "STOREDRIVER", "DELIVER", m, recipients(local), "", "", "",
                m.sender, info.toString(), m.originating ? "Originating" : "Incoming", "", "",
                "S:MailboxDatabaseName=DB01;S:DatabaseHealth=-1");
    }

    /**
     * One send session to a next hop for the recipients it serves; returns those that failed for good. A deferred
     * recipient is tried again later (up to three times in all), in a session of its own.
     */
    private List<Rcpt> sendOut(long t, Mail m, List<Rcpt> group, int attempt) {
        Rcpt first = group.get(0);
        Session s = new Session(send, SEND_CONNECTOR, "", first.relayIp() + ":25", t);
        s.line('*', "SendRoutingHeaders", "Set Session Permissions");
        s.line('*', null, "attempting to connect");
        s.local = LAN_IP + ":" + (10000 + r.nextInt(50000));
        s.step(100 + r.nextInt(200));
        s.line('+', null, null);
        s.step(80 + r.nextInt(200));
        List<Rcpt> failed = new ArrayList<>();
        boolean blocklisted = first.kind() == BOUNCED && first.reply().contains("spam");
        if (blocklisted && r.nextInt(3) == 0) {
            // refused at the banner: no EHLO, the whole connection fails
            s.line('<', "554 5.7.1 Service unavailable; Client host [" + PUBLIC_IP + "] blocked using "
                    + "zen.spamhaus.org; https://www.spamhaus.org/query/ip/" + PUBLIC_IP, null);
            s.line('>', "QUIT", null);
            s.step(60);
            s.line('-', null, "Local");
            for (Rcpt rc : group) {
                trackFailure(s.t + 20, "FAIL", m, rc, "554 5.7.1 Service unavailable; Client host [" + PUBLIC_IP
                        + "] blocked using zen.spamhaus.org");
                failed.add(rc);
            }
            return failed;
        }
        s.line('<', "220 " + first.relayHost() + " ESMTP Postfix", null);
        s.line('>', "EHLO " + FQDN, null);
        s.step(100 + r.nextInt(100));
        s.line('<', "250-" + first.relayHost(), null);
        s.line('<', "250 ENHANCEDSTATUSCODES", null);
        s.line('*', null, "sending message with RecordId " + m.id + " and InternetMessageId " + m.messageId);
        s.line('>', "MAIL FROM:<" + m.sender + "> SIZE=" + m.bytes, null);
        s.step(100);
        s.line('<', "250 2.1.0 Ok", null);
        List<Rcpt> accepted = new ArrayList<>();
        List<Rcpt> deferred = new ArrayList<>();
        for (Rcpt rc : group) {
            s.line('>', "RCPT TO:<" + rc.address() + ">", null);
            s.step(20 + r.nextInt(100));
            s.line('<', rc.kind() == SENT ? "250 2.1.5 Ok" : rc.reply(), null);
            switch (rc.kind()) {
                case SENT -> accepted.add(rc);
                case DEFERRED -> deferred.add(rc);
                default -> failed.add(rc);
            }
        }
        String queued = null;
        if (!accepted.isEmpty()) {
            s.line('>', "DATA", null);
            s.step(100);
            s.line('<', "354 End data with <CR><LF>.<CR><LF>", null);
            s.step(100 + r.nextInt(500));
            queued = accepted.get(0).reply();
            s.line('<', queued, null);
        }
        s.line('>', "QUIT", null);
        s.step(80);
        s.line('<', "221 2.0.0 Bye", null);
        s.line('-', null, "Local");
        long done = s.t + 10;
        if (!accepted.isEmpty()) {
            StringBuilder status = new StringBuilder();
            for (Rcpt ignored : accepted) {
                status.append(status.length() == 0 ? "" : ";").append("250 2.1.5 Ok");
            }
            StringBuilder info = new StringBuilder(80);
            clock.isoMillis(info, done - 1500);
            info.append(";SRV=").append(FQDN).append(":TOTAL-HUB=").append(1 + r.nextInt(3)).append('.')
                    .append(100 + r.nextInt(900)).append("|SMR=0.0").append(10 + r.nextInt(89)).append("|SMS=0.")
                    .append(100 + r.nextInt(900));
            track(done, LAN_IP, SERVER, first.relayIp(), first.relayHost(), ";" + queued + ";ClientSubmitTime:",
                    SEND_CONNECTOR, "SMTP", "SENDEXTERNAL", m, recipients(accepted), status.toString(), "", "",
                    m.sender.isEmpty() ? "<>" : m.sender, info.toString(), m.originating ? "Originating" : "Incoming",
                    "", "", "S:ToEntity=Internet;S:IsSmtpResponseFromExternalServer=True;S:DeliveryPriority=Normal");
        }
        for (Rcpt rc : failed) {
            trackFailure(done, "FAIL", m, rc, rc.reply());
        }
        for (Rcpt rc : deferred) {
            trackFailure(done, "DEFER", m, rc, rc.reply());
            long retry = done + 600_000L + r.nextInt(1_800_000);
            if (retry >= end) {
                continue;
            }
            boolean again = attempt < 2 && r.nextInt(3) == 0;
            Rcpt next = again ? rc : new Rcpt(rc.address(), SENT, rc.relayHost(), rc.relayIp(),
                    "250 2.0.0 Ok: queued as " + qidLike());
            failed.addAll(sendOut(retry, m, List.of(next), attempt + 1));
        }
        return failed;
    }

    /** A FAIL or DEFER in message tracking: Exchange's last-error status with the remote host that gave it. */
    private void trackFailure(long t, String event, Mail m, Rcpt rc, String reply) {
        StringBuilder status = new StringBuilder(160);
        status.append("[{LED=").append(reply).append("};{MSG=};{FQDN=").append(rc.relayHost()).append("};{IP=")
                .append(rc.relayIp()).append("};{LRT=");
        clock.us(status, t - 200);
        status.append("}]");
        track(t, "", "", "", SERVER, "", "", "SMTP", event, m, rc.address(), status.toString(), "", "",
                m.sender.isEmpty() ? "<>" : m.sender, "", m.originating ? "Originating" : "Incoming", "", "",
                "S:DeliveryPriority=Normal");
    }

    /** The non-delivery report for {@code failed} goes to the sender: a mailbox here, or (backscatter) outside. */
    private void nonDelivery(long t, Mail m, List<Rcpt> failed) {
        if (m.sender.isEmpty()) {
            return; // no report about a report
        }
        boolean toLocal = m.sender.endsWith("@" + DOMAIN);
        String domain = m.sender.substring(m.sender.indexOf('@') + 1);
        Rcpt to;
        if (toLocal) {
            to = new Rcpt(m.sender, LOCAL, null, null, null);
        } else if (r.nextInt(10) < 4) {
            to = new Rcpt(m.sender, BOUNCED, "mx." + domain, remoteMxIp(domain), "550 5.1.1 <" + m.sender
                    + ">: Recipient address rejected: User unknown in local recipient table");
        } else {
            to = sent(m.sender, "mx." + domain, remoteMxIp(domain));
        }
        Mail ndr = new Mail(internalCounter += 1 + r.nextInt(4), "<" + msgid(FQDN) + ">", guid(), "", List.of(to),
                4000 + r.nextInt(6000), "Undeliverable: " + m.subject, false);
        track(t, "", "", LAN_IP, SERVER, "", "", "DSN", "DSN", ndr, m.sender, "", recipients(failed), m.messageId,
                SYSTEM_SENDER, "", "Originating", "", "", "S:DeliveryPriority=Normal");
        if (toLocal) {
            deliverLocally(t + 400, ndr, List.of(to));
        } else {
            sendOut(t + 600 + r.nextInt(2000), ndr, List.of(to), 2);
        }
    }

    private static String recipients(List<Rcpt> rcpts) {
        StringBuilder b = new StringBuilder(rcpts.size() * 24);
        for (Rcpt rc : rcpts) {
            b.append(b.length() == 0 ? "" : ";").append(rc.address());
        }
        return b.toString();
    }

    /** A message tracking line (30 fields) about {@code m}. */
    private void track(long t, String clientIp, String clientHost, String serverIp, String serverHost,
                       String sourceContext, String connector, String source, String event, Mail m, String recipients,
                       String recipientStatus, String related, String reference, String sender, String messageInfo,
                       String direction, String originalClientIp, String originalServerIp, String customData) {
        b.setLength(0);
        clock.isoMillis(b, t);
        b.append(',').append(clientIp).append(',').append(clientHost).append(',').append(serverIp).append(',')
                .append(serverHost).append(',');
        csv(sourceContext);
        b.append(',');
        csv(connector);
        b.append(',').append(source).append(',').append(event).append(',').append(m.id).append(',')
                .append(m.messageId).append(',').append(m.networkId).append(',').append(recipients).append(',');
        csv(recipientStatus);
        b.append(',').append(m.bytes).append(',').append(m.rcpts.size()).append(',').append(related).append(',')
                .append(reference).append(',');
        csv(m.subject);
        b.append(',').append(event.equals("DSN") ? SYSTEM_SENDER : m.sender).append(',').append(sender)
                .append(',');
        csv(messageInfo);
        b.append(',').append(direction).append(",,").append(originalClientIp).append(',').append(originalServerIp)
                .append(',').append(customData).append(",Email,").append(guid()).append(',').append(VERSION);
        emit(tracking, t);
    }

    /** A CSV value as Exchange writes it: quoted when it holds a comma or a quote, quotes doubled. */
    private void csv(String value) {
        if (value == null) {
            return;
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
            b.append(value);
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                b.append('"');
            }
            b.append(c);
        }
        b.append('"');
    }

    /** One SMTP session of a protocol log: its id, endpoints, sequence numbers and clock. */
    private final class Session {
        final LogFile file;
        final String connector;
        final String id;
        final String remote;
        final long started;
        String local;
        int seq;
        long t;

        Session(LogFile file, String connector, String local, String remote, long t) {
            this.file = file;
            this.connector = connector;
            String hex = Long.toHexString(sessionCounter += 1 + r.nextInt(3)).toUpperCase(Locale.ROOT);
            this.id = "0".repeat(16 - hex.length()) + hex;
            this.local = local;
            this.remote = remote;
            this.started = t;
            this.t = t;
        }

        String startIso() {
            StringBuilder s = new StringBuilder(24);
            clock.isoMillis(s, started);
            return s.toString();
        }

        void step(long ms) {
            t += ms;
        }

        /** The connection, Exchange's banner and the client's EHLO (and STARTTLS with a second EHLO). */
        void open(String helo, boolean tls) {
            line('+', null, null);
            StringBuilder banner = new StringBuilder("220 ").append(FQDN)
                    .append(" Microsoft ESMTP MAIL Service ready at ");
            clock.rfc(banner, t);
            line('>', banner.toString(), null);
            step(50 + r.nextInt(300));
            line('<', "EHLO " + helo, null);
            String address = remote.substring(0, remote.lastIndexOf(':'));
            line('>', "250  " + FQDN + String.format(EHLO_REPLY, address), null);
            if (tls) {
                step(40 + r.nextInt(100));
                line('<', "STARTTLS", null);
                line('>', "220 2.0.0 SMTP server ready", null);
                step(30 + r.nextInt(80));
                line('*', null, TLS_NOTE);
                line('<', "EHLO " + helo, null);
                line('>', "250  " + FQDN + String.format(EHLO_REPLY_TLS, address), null);
            }
            step(20 + r.nextInt(100));
        }

        void line(char event, String data, String context) {
            b.setLength(0);
            clock.isoMillis(b, t);
            b.append(',');
            csv(connector);
            b.append(',').append(id).append(',').append(seq++).append(',').append(local).append(',').append(remote)
                    .append(',').append(event).append(',');
            csv(data);
            b.append(',');
            csv(context);
            emit(file, t);
            t++;
        }
    }

    // --- IIS --------------------------------------------------------------------------------------------------------

    /** The query suffix the 2013+ front end (CAFE) logs on every request. */
    private String cafe() {
        return "&CorrelationID=<empty>;&cafeReqId=" + guid() + ";";
    }

    private void iis(long t, String method, String stem, String query, String user, String clientIp, String agent,
                     String referer, int status, int substatus, long win32, int millis) {
        b.setLength(0);
        clock.iso(b, t);
        b.append(' ').append(clientIp.equals("::1") ? "::1" : LAN_IP).append(' ').append(method).append(' ')
                .append(stem).append(' ').append(query == null || query.isEmpty() ? "-" : query).append(" 443 ")
                .append(user).append(' ').append(clientIp).append(' ').append(agent).append(' ').append(referer)
                .append(' ').append(status).append(' ').append(substatus).append(' ').append(win32).append(' ')
                .append(millis);
        emit(iis, t);
    }

    private String guid() {
        long a = r.nextLong();
        long c = r.nextLong();
        StringBuilder g = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            g.append(Character.toLowerCase(HEX[(int) (a >>> (4 * i)) & 15]));
            if (i == 7 || i == 11 || i == 15) {
                g.append('-');
            }
        }
        for (int i = 0; i < 16; i++) {
            g.append(Character.toLowerCase(HEX[(int) (c >>> (4 * i)) & 15]));
            if (i == 3) {
                g.append('-');
            }
        }
        return g.toString();
    }
}
