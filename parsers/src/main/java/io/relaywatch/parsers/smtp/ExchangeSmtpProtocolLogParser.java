package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.EventRecord;
import io.relaywatch.parsers.LineParser;
import io.relaywatch.parsers.NamedLogParser;
import io.relaywatch.parsers.ParseContext;
import io.relaywatch.parsers.ParseResult;
import io.relaywatch.parsers.SyslogHeader;
import io.relaywatch.parsers.Values;
import io.relaywatch.parsers.W3cFields;
import io.relaywatch.schema.SmtpEvent;
import io.relaywatch.schema.Tables;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.CLIENT_PORT;
import static io.relaywatch.schema.SmtpEventColumn.CONNECTOR;
import static io.relaywatch.schema.SmtpEventColumn.DSN;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.HELO;
import static io.relaywatch.schema.SmtpEventColumn.MESSAGE_ID;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.NEXT_QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.NRCPT;
import static io.relaywatch.schema.SmtpEventColumn.PROGRAM;
import static io.relaywatch.schema.SmtpEventColumn.QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.REASON;
import static io.relaywatch.schema.SmtpEventColumn.RECIPIENT;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_HOST;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_IP;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_PERMITTED;
import static io.relaywatch.schema.SmtpEventColumn.RELAY_PORT;
import static io.relaywatch.schema.SmtpEventColumn.SASL_METHOD;
import static io.relaywatch.schema.SmtpEventColumn.SASL_USERNAME;
import static io.relaywatch.schema.SmtpEventColumn.SENDER;
import static io.relaywatch.schema.SmtpEventColumn.SESSION_ID;
import static io.relaywatch.schema.SmtpEventColumn.SIZE;
import static io.relaywatch.schema.SmtpEventColumn.SMTP_CODE;
import static io.relaywatch.schema.SmtpEventColumn.TS;

/**
 * Exchange Server 2007-2019 SMTP protocol logs: CSV with
 * {@code date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context}, one line
 * per connection event ({@code +} connect, {@code -} disconnect), line sent ({@code >}), line received ({@code <}) or
 * note ({@code *}), the sessions of a connector interleaved.
 *
 * <p><b>Receive logs</b> ({@code RECV*.LOG}, {@code #Log-type: SMTP Receive Protocol Log}): the remote endpoint is the
 * client; {@code <} are its commands and {@code >} our replies. A session's notes say what it may do and who it is:
 * {@code *,SMTPSubmit SMTPAcceptAnyRecipient ...,Set Session Permissions} (re-evaluated after AUTH; {@code
 * SMTPAcceptAnyRecipient} lets it relay to any domain), {@code *,CONTOSO\jdoe,authenticated}, and after a failed
 * logon {@code *,,User Name: jdoe@contoso.com}. The parser follows each session (by session-id, in file order) and
 * carries onto every later event of it the HELO name, the authenticated account ({@code sasl_username}; its
 * {@code account} follows) and whether it may relay ({@code relay_permitted}); so an anonymous session allowed to relay
 * is visible on the very rows that accept its mail. Replies are matched to the commands they answer in order
 * (pipelining sends several commands before the replies): a {@code 250} to RCPT carries its recipient, a {@code 5xx}
 * to RCPT is a {@code reject} of that recipient ({@code 550 5.7.54 Unable to relay}), and {@code 250 2.6.0 <id>
 * [InternalId=N, Hostname=EX01.x] ... Queued mail for delivery} gives one {@code message_accepted} row per accepted
 * recipient, with the InternalId as {@code queue_id}, which is message tracking's {@code internal-message-id}.
 *
 * <p><b>Send logs</b> ({@code SEND*.LOG}, {@code #Log-type: SMTP Send Protocol Log}): our server is the client and the
 * remote endpoint is the next hop; {@code >} are our commands, {@code <} the remote server's replies. Rows carry the
 * next hop in {@code relay_ip}/{@code relay_port} and the name its banner gave in {@code relay_host}; its refusals
 * become {@code deferred} (4xx) and {@code bounced} (5xx) rows with {@code smtp_code}, {@code dsn} and {@code reason}
 * (a 554 banner citing a blocklist is how remote servers tell us we are listed), and its final 250 to our DATA a
 * {@code delivered} row per recipient it accepted, with its queue id in {@code next_queue_id}. The local server is
 * the first label of the EHLO name we send (for the rows of a session before it, the one the file's last EHLO named).
 *
 * <p>A file is a send log when its {@code #Log-type} says so, else when its path names {@code SmtpSend} or its name
 * starts with {@code SEND}; in a fragment that says neither, a session is a send session when its connector lacks the
 * {@code SERVER\} prefix of receive connectors or it begins with {@code attempting to connect}. Known limits: a
 * session that began in an earlier file (2013+ roll their logs every hour) starts here without its notes, so its later
 * rows carry no account and no relay permission (null, never a guess).
 */
public final class ExchangeSmtpProtocolLogParser extends NamedLogParser {

    static final List<String> DEFAULT_FIELDS = List.of("date-time", "connector-id", "session-id", "sequence-number",
            "local-endpoint", "remote-endpoint", "event", "data", "context");

    /** Open sessions followed per file at most; the oldest is forgotten beyond (a file cut before disconnects). */
    static final int MAX_SESSIONS = 50_000;
    /** Commands awaiting their reply per session at most (pipelining sends a few; a flood must not grow memory). */
    static final int MAX_PENDING = 1_000;

    public ExchangeSmtpProtocolLogParser() {
        super("exchange_smtp_protocol", Tables.SMTP_EVENTS,
                "Microsoft Exchange 2007-2019 SMTP receive and send protocol logs (RECV/SEND)");
    }

    @Override
    public LineParser open(ParseContext context) {
        return new FileState(context.sourceFile())::parse;
    }

    /** One command awaiting its reply: the verb and the address it named (RCPT's recipient, MAIL's sender). */
    private record Pending(String verb, String address) {
    }

    /** What the log has said about one session so far. */
    private static final class Session {
        boolean send;
        String helo;
        String account;
        String attemptedUser;
        String authMethod;
        Boolean relayPermitted;
        String sender;
        String localServer;
        String remoteName;
        String queueId;
        String messageId;
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        final List<String> accepted = new ArrayList<>();
    }

    private static final class FileState {
        final W3cFields w3c = new W3cFields(DEFAULT_FIELDS, true);
        /** Whether the file is a send log: from #Log-type, else from its path, else unknown (null). */
        Boolean sendLog;
        /**
         * The local server of a send log as its last EHLO named it: one file is one server's, and a session refused
         * at the banner (a blocklist citation) ends before it says EHLO.
         */
        String localServer;
        final Map<String, Session> sessions = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Session> eldest) {
                return size() > MAX_SESSIONS;
            }
        };

        FileState(String sourceFile) {
            String path = sourceFile.replace('\\', '/');
            String lower = path.toLowerCase(Locale.ROOT);
            String name = lower.substring(lower.lastIndexOf('/') + 1);
            if (lower.contains("/smtpsend/") || name.startsWith("send")) {
                sendLog = true;
            } else if (lower.contains("/smtpreceive/") || name.startsWith("recv")) {
                sendLog = false;
            }
        }

        ParseResult parse(String line) {
            String directive = w3c.directive(line);
            if (directive != null) {
                String type = logType(line);
                if (type != null) {
                    sendLog = type.contains("send") ? Boolean.TRUE : type.contains("receive") ? Boolean.FALSE : sendLog;
                }
                return ParseResult.skipped(directive);
            }
            if (!w3c.has("session-id") || !w3c.has("remote-endpoint")) {
                return ParseResult.rejected("fields lack session-id and remote-endpoint: not an SMTP protocol log");
            }
            List<String> values = w3c.split(line);
            Instant ts = SyslogHeader.parseIso(String.valueOf(w3c.get(values, "date-time")), ZoneOffset.UTC);
            String kind = w3c.raw(values, "event");
            String sessionId = w3c.get(values, "session-id");
            if (ts == null || kind == null || kind.length() != 1 || "+-<>*".indexOf(kind.charAt(0)) < 0
                    || values.size() < 7 || sessionId == null) {
                return ParseResult.rejected("not an SMTP protocol record: needs an ISO date-time, a session-id and an"
                        + " event +, -, <, > or *");
            }
            String data = w3c.get(values, "data");
            String context = w3c.get(values, "context");
            Session session = sessions.get(sessionId);
            String connector = w3c.get(values, "connector-id");
            if (session == null) {
                session = new Session();
                // without a header or a path that says, a connector without the SERVER\ prefix of receive connectors
                // is a send connector ("Outbound to Office 365", "Send", a localized implicit connector)
                session.send = sendLog != null ? sendLog : connector != null && connector.indexOf('\\') < 0;
                sessions.put(sessionId, session);
            }
            if (sendLog == null && kind.equals("*") && "attempting to connect".equals(context)) {
                session.send = true;
            }
            EventRecord row = new EventRecord(Tables.SMTP_EVENTS);
            row.set(TS, ts);
            row.set(CONNECTOR, connector);
            row.set(SESSION_ID, sessionId);
            Smtp.Endpoint remote = endpoint(w3c.get(values, "remote-endpoint"));
            List<EventRecord> rows = line(session, row, kind, data, context, remote, connector);
            if (session.send && session.localServer != null) {
                localServer = session.localServer;
            } else if (session.send) {
                for (EventRecord r : rows) {
                    r.set(MTA_HOST, localServer);
                }
            }
            if (kind.equals("-")) {
                sessions.remove(sessionId);
            }
            String note = w3c.fromHeader() ? w3c.countMismatch(values) : null;
            return note == null ? ParseResult.parsed(rows) : ParseResult.partial(rows, note);
        }
    }

    /** The value of a {@code #Log-type:} directive, lower-cased, or null for other lines. */
    private static String logType(String line) {
        if (!line.regionMatches(true, 0, "#Log-type:", 0, 10)) {
            return null;
        }
        return line.substring(10).trim().toLowerCase(Locale.ROOT);
    }

    /** {@code 203.0.113.7:50123} or {@code [2001:db8::7]:25}. */
    private static Smtp.Endpoint endpoint(String text) {
        Smtp.Endpoint e = new Smtp.Endpoint();
        if (text == null) {
            return e;
        }
        int colon = text.lastIndexOf(':');
        String ip = colon > 0 ? text.substring(0, colon) : text;
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (Values.isIp(ip)) {
            e.ip = ip;
            e.port = colon > 0 ? Values.toPort(text.substring(colon + 1)) : null;
        } else if (Values.isIp(text)) {
            e.ip = text; // an IPv6 address logged without a port
        }
        return e;
    }

    // ------------------------------------------------------------------------------------------------------ session

    /**
     * One line of a session. The client's lines ({@code <} in a receive log, {@code >} in a send log) are commands,
     * the other side's are replies to them; the rows of a receive session carry what the session said about itself,
     * those of a send session the next hop and the message being sent.
     */
    private static List<EventRecord> line(Session s, EventRecord row, String kind, String data, String context,
                                          Smtp.Endpoint remote, String connector) {
        if (s.send) {
            row.set(PROGRAM, "SmtpSend");
            row.set(RELAY_IP, remote.ip);
            row.set(RELAY_PORT, remote.port);
        } else {
            row.set(PROGRAM, "SmtpReceive");
            row.set(MTA_HOST, Exchange.connectorServer(connector));
            row.set(CLIENT_IP, remote.ip);
            row.set(CLIENT_PORT, remote.port);
        }
        String clientLine = s.send ? ">" : "<";
        List<EventRecord> rows = List.of(row);
        switch (kind) {
            case "+" -> row.set(EVENT, SmtpEvent.CONNECT.value());
            case "-" -> {
                row.set(EVENT, lost(context) ? SmtpEvent.LOST_CONNECTION.value() : SmtpEvent.DISCONNECT.value());
                row.set(REASON, context);
            }
            case "*" -> {
                row.set(EVENT, SmtpEvent.OTHER.value());
                row.set(REASON, data != null && context != null ? data + " (" + context + ")"
                        : data != null ? data : context);
                note(s, row, data, context);
            }
            default -> {
                row.set(REASON, data);
                if (kind.equals(clientLine)) {
                    row.set(EVENT, SmtpEvent.COMMAND.value());
                    command(s, row, data);
                } else {
                    Smtp.Reply reply = Smtp.reply(data == null ? "" : data);
                    row.set(SMTP_CODE, reply.code);
                    row.set(DSN, reply.dsn);
                    Pending answered = answered(s, data, reply.code);
                    rows = s.send ? remoteReply(s, row, reply, answered, data) : receiveReply(s, row, reply, answered,
                            data);
                }
            }
        }
        for (EventRecord r : rows) {
            if (s.send) {
                sent(s, r);
            } else {
                carry(s, r);
            }
        }
        return rows;
    }

    /** Reads what a {@code *} note says about its session. */
    private static void note(Session s, EventRecord row, String data, String context) {
        if (s.send) {
            // "sending message with RecordId 167503004549 and InternetMessageId <id>": the message now sent
            if (context != null && context.startsWith("sending message with RecordId ")) {
                int from = 30;
                int end = context.indexOf(' ', from);
                s.queueId = Values.orNull(end < 0 ? context.substring(from) : context.substring(from, end));
                int open = context.indexOf('<');
                int close = open < 0 ? -1 : context.indexOf('>', open);
                s.messageId = open >= 0 && close > open ? context.substring(open + 1, close) : null;
                s.accepted.clear();
            }
        } else if ("Set Session Permissions".equalsIgnoreCase(context)) {
            String permissions = data == null ? "" : data;
            s.relayPermitted = (" " + permissions + " ").contains(" SMTPAcceptAnyRecipient ");
        } else if ("authenticated".equalsIgnoreCase(context) && data != null) {
            s.account = data;
            row.set(SASL_METHOD, s.authMethod);
        } else if (context != null && context.startsWith("User Name: ")) {
            s.attemptedUser = Values.orNull(context.substring(11).trim());
            row.set(SASL_USERNAME, s.attemptedUser);
        }
    }

    /**
     * The client's command, remembered until its reply and read for the session: the HELO name (in a send log ours,
     * which names the local server), the sender, a recipient, the AUTH mechanism.
     */
    private static void command(Session s, EventRecord row, String data) {
        String text = data == null ? "" : data;
        String upper = text.toUpperCase(Locale.ROOT);
        int space = text.indexOf(' ');
        String verb = (space < 0 ? upper : upper.substring(0, space)).trim();
        String address = null;
        if (verb.equals("EHLO") || verb.equals("HELO")) {
            String name = Values.orNull(text.substring(Math.min(text.length(), 5)).trim());
            if (s.send) {
                s.localServer = Exchange.server(name);
            } else {
                s.helo = name;
            }
        } else if (upper.startsWith("MAIL FROM:")) {
            address = IisSmtpLogParser.address(text, "FROM:");
            s.sender = address;
            s.accepted.clear();
            row.set(SENDER, address);
        } else if (upper.startsWith("RCPT TO:")) {
            address = IisSmtpLogParser.address(text, "TO:");
            row.set(RECIPIENT, address);
        } else if (verb.equals("AUTH")) {
            int end = text.indexOf(' ', space + 1);
            s.authMethod = space < 0 ? null : Values.orNull((end < 0 ? text.substring(space + 1)
                    : text.substring(space + 1, end)).trim());
            row.set(SASL_METHOD, s.authMethod);
        }
        if (s.pending.size() < MAX_PENDING) {
            s.pending.add(new Pending(verb, address));
        }
    }

    /**
     * The command a reply answers: the oldest still waiting. A multi-line reply ({@code 250-SIZE}) answers it only
     * with its last line; a reply with nothing waiting (the banner) answers nothing.
     */
    private static Pending answered(Session s, String data, Integer code) {
        boolean continued = data != null && data.length() > 3 && data.charAt(3) == '-';
        if (continued) {
            return s.pending.peek();
        }
        Pending answered = s.pending.poll();
        if (answered != null && answered.verb().equals("DATA") && code != null && code == 354) {
            s.pending.addFirst(END_OF_DATA); // the next reply is the one to the message itself
        }
        return answered;
    }

    /** The message's end ({@code CRLF.CRLF} after DATA), which the final reply of a transaction answers. */
    private static final Pending END_OF_DATA = new Pending(".", null);

    /**
     * Exchange's reply to the client, read against the command it answers: 235/535 are AUTH's outcome, a 5xx a
     * {@code reject} (of the recipient RCPT named), a queued message's 250 {@code message_accepted}.
     */
    private static List<EventRecord> receiveReply(Session s, EventRecord row, Smtp.Reply reply, Pending answered,
                                                  String data) {
        Integer code = reply.code;
        String verb = answered == null ? "" : answered.verb();
        accept(s, row, code, answered);
        if (verb.equals("MAIL")) {
            row.set(SENDER, answered.address());
        }
        Exchange.Queued queued = code != null && code == 250 ? Exchange.queued(data) : null;
        if (queued != null) {
            return accepted(s, row, queued);
        }
        String event = SmtpEvent.COMMAND.value();
        if (code != null && code == 235) {
            event = SmtpEvent.AUTH_SUCCESS.value();
        } else if (code != null && (code == 535 || (verb.equals("AUTH") && code >= 500))) {
            row.set(SASL_USERNAME, s.attemptedUser);
            event = SmtpEvent.AUTH_FAILURE.value();
        } else if (code != null && code >= 500) {
            event = SmtpEvent.REJECT.value();
        }
        row.set(EVENT, event);
        return List.of(row);
    }

    /** A reply to RCPT: the row names its recipient, and an accepting one joins the message's recipients. */
    private static void accept(Session s, EventRecord row, Integer code, Pending answered) {
        if (answered != null && answered.verb().equals("RCPT")) {
            row.set(RECIPIENT, answered.address());
            if (code != null && code < 300 && answered.address() != null) {
                s.accepted.add(answered.address());
            }
        }
    }

    /** One {@code message_accepted} row per recipient accepted since MAIL FROM (one row when none is known). */
    private static List<EventRecord> accepted(Session s, EventRecord row, Exchange.Queued queued) {
        row.set(EVENT, SmtpEvent.MESSAGE_ACCEPTED.value());
        row.set(QUEUE_ID, queued.internalId());
        row.set(MESSAGE_ID, queued.messageId());
        row.set(SENDER, s.sender);
        row.set(SIZE, queued.bytes());
        row.set(NRCPT, s.accepted.isEmpty() ? null : s.accepted.size());
        if (queued.hostname() != null) {
            row.set(MTA_HOST, Exchange.server(queued.hostname())); // the server whose queue took it
        }
        s.sender = null;
        return perRecipient(s, row);
    }

    /** What the session has said so far, on a row of it. */
    private static void carry(Session s, EventRecord row) {
        if (row.get(HELO) == null) {
            row.set(HELO, s.helo);
        }
        if (s.account != null) {
            row.set(SASL_USERNAME, s.account);
        }
        if (row.get(SASL_METHOD) == null && s.account != null) {
            row.set(SASL_METHOD, s.authMethod);
        }
        row.set(RELAY_PERMITTED, s.relayPermitted);
    }

    private static boolean lost(String context) {
        if (context == null) {
            return false;
        }
        String c = context.toLowerCase(Locale.ROOT);
        return c.contains("reset") || c.contains("socketerror") || c.contains("timeout") || c.contains("timed out");
    }

    // --------------------------------------------------------------------------------------------------------- send

    /** What a send session knows, on a row of it: our server, the next hop's name, the message and its sender. */
    private static void sent(Session s, EventRecord row) {
        row.set(MTA_HOST, s.localServer);
        row.set(RELAY_HOST, s.remoteName);
        if (row.get(SENDER) == null) {
            row.set(SENDER, s.sender);
        }
        row.set(QUEUE_ID, s.queueId);
        if (row.get(MESSAGE_ID) == null) {
            row.set(MESSAGE_ID, s.messageId);
        }
    }

    /**
     * The remote server's reply, read against the command it answers: a refusal is {@code deferred} (4xx) or
     * {@code bounced} (5xx), for the recipient RCPT named or, for DATA's final reply, for every recipient accepted;
     * the final 250 after DATA is {@code delivered} for each of them.
     */
    private static List<EventRecord> remoteReply(Session s, EventRecord row, Smtp.Reply reply, Pending answered,
                                                 String data) {
        Integer code = reply.code;
        String verb = answered == null ? "" : answered.verb();
        if (s.remoteName == null && code != null && code == 220) {
            s.remoteName = bannerHost(reply.text);
        }
        accept(s, row, code, answered);
        boolean continued = data != null && data.length() > 3 && data.charAt(3) == '-';
        if (code == null || continued) {
            row.set(EVENT, SmtpEvent.COMMAND.value());
            return List.of(row);
        }
        boolean dataEnd = verb.equals(".") || verb.equals("BDAT") || verb.equals("DATA") && code != 354;
        if (code >= 400) {
            row.set(EVENT, code >= 500 ? SmtpEvent.BOUNCED.value() : SmtpEvent.DEFERRED.value());
            return dataEnd ? perRecipient(s, row) : List.of(row);
        }
        if (dataEnd && code < 300) {
            row.set(EVENT, SmtpEvent.DELIVERED.value());
            row.set(NEXT_QUEUE_ID, reply.nextQueueId);
            return perRecipient(s, row);
        }
        row.set(EVENT, SmtpEvent.COMMAND.value());
        return List.of(row);
    }

    /** The row once per recipient accepted for the message (once, without recipient, when none is known). */
    private static List<EventRecord> perRecipient(Session s, EventRecord row) {
        List<EventRecord> rows = new ArrayList<>();
        if (s.accepted.isEmpty()) {
            rows.add(row);
        }
        for (String recipient : s.accepted) {
            rows.add(row.copy().set(RECIPIENT, recipient));
        }
        s.accepted.clear();
        return rows;
    }

    /** The host a 220 banner names first ({@code mx.example.com ESMTP Postfix}), when it looks like one. */
    private static String bannerHost(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        int space = t.indexOf(' ');
        String first = space < 0 ? t : t.substring(0, space);
        return first.indexOf('.') > 0 && first.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '.'
                || c == '-' || c == '_') ? first : null;
    }
}
