package io.relaywatch.schema;

import static io.relaywatch.schema.FieldType.BOOLEAN;
import static io.relaywatch.schema.FieldType.DATE;
import static io.relaywatch.schema.FieldType.DOUBLE;
import static io.relaywatch.schema.FieldType.INT;
import static io.relaywatch.schema.FieldType.LONG;
import static io.relaywatch.schema.FieldType.STRING;
import static io.relaywatch.schema.FieldType.TIMESTAMP;

/**
 * Columns of {@code smtp_events}: one row per MTA log event (one row per recipient where a line names several).
 * {@code event} takes the values of {@link SmtpEvent}.
 */
public enum SmtpEventColumn implements Column {
    TS(TIMESTAMP, "@timestamp", "When the event was logged, in UTC."),
    MTA_HOST(STRING, "host.name", "The MTA that logged the event (syslog host, Exchange server, Zeek sensor's responder)."),
    PROGRAM(STRING, "process.name", "Logging program or component (postfix/smtpd, sm-mta, exim, SMTPSVC1, STOREDRIVER, zeek)."),
    QUEUE_ID(STRING, "email.local_id", "The MTA's id for the message (Postfix queue id, Sendmail qid, Exim message id, Exchange internal-message-id)."),
    EVENT(STRING, "event.action", "What happened: one of the SmtpEvent values (connect, auth_failure, message_accepted, delivered, ...)."),
    CLIENT_IP(STRING, "source.ip", "Address of the SMTP client that connected to this MTA."),
    CLIENT_PORT(INT, "source.port", "Source port of the SMTP client, where logged."),
    CLIENT_HOST(STRING, "source.domain", "Reverse-DNS name of the client as the MTA logged it ('unknown' kept as null)."),
    HELO(STRING, "", "HELO/EHLO name the client presented."),
    SASL_USERNAME(STRING, "user.name", "SMTP AUTH user name (successful or attempted) as the MTA logged it: jdoe, jdoe@example.com, CONTOSO\\jdoe."),
    SASL_METHOD(STRING, "", "SMTP AUTH mechanism (LOGIN, PLAIN, CRAM-MD5, ...)."),
    ACCOUNT(STRING, "user.id", "The account behind the event, one name however the log wrote it: sasl_username lower-cased without its domain (CONTOSO\\JDoe, jdoe@contoso.com and jdoe all give jdoe); in an Exchange receive session, the account that authenticated, on every event after it; in Exchange message tracking, the sender of mail that originated in the organization. Null for anonymous clients. The same value as http_requests.account, so one stolen account is one entity across SMTP and web logons."),
    SENDER(STRING, "email.from.address", "Envelope sender (MAIL FROM); '' for the null sender <>."),
    RECIPIENT(STRING, "email.to.address", "Envelope recipient (RCPT TO); one per row."),
    RELAY_HOST(STRING, "destination.domain", "Next hop the message was handed to (or the host that refused it)."),
    RELAY_IP(STRING, "destination.ip", "Address of the next hop."),
    RELAY_PORT(INT, "destination.port", "Port of the next hop."),
    SMTP_CODE(INT, "", "SMTP reply code of a reject or of the remote server's answer (250, 450, 554, ...)."),
    DSN(STRING, "", "Enhanced status code (2.0.0, 5.7.1, ...)."),
    STATUS(STRING, "event.outcome", "Delivery status as the MTA wrote it (sent, deferred, bounced, expired, Sent, Deferred, ...)."),
    REASON(STRING, "error.message", "Free text: the reply or reason the MTA logged with the event."),
    SIZE(LONG, "", "Message size in bytes."),
    NRCPT(INT, "", "Number of recipients of the message, where logged."),
    DELAY_S(DOUBLE, "", "Delivery delay in seconds, where logged."),
    PROTO(STRING, "network.protocol", "Protocol used by the client: SMTP, ESMTP, esmtpa, esmtps, ..."),
    MESSAGE_ID(STRING, "email.message_id", "The Message-ID header."),
    SUBJECT(STRING, "email.subject", "The Subject header, where logged (Zeek, Exchange)."),
    NEXT_QUEUE_ID(STRING, "", "The queue id the next MTA gave the message ('queued as X' in the 250 reply): joins hops across MTAs."),
    SESSION_ID(STRING, "", "Connection/session identifier (Zeek uid, Exim/Exchange session, Postfix smtpd pid) linking a session's events."),
    CONNECTOR(STRING, "", "The Exchange receive or send connector that handled the event (connector-id: 'EX01\\Default Frontend EX01', 'Internet'), or null."),
    DIRECTION(STRING, "network.direction", "Exchange message tracking's directionality: Incoming (from outside the organization), Originating (sent by one of its mailboxes or authenticated senders); null for other logs."),
    RELAY_PERMITTED(BOOLEAN, "", "Whether the MTA logged that this session may send to any recipient: Exchange's SMTPAcceptAnyRecipient in the session's permissions (true), permissions logged without it (false); null where nothing says. True with a null account is a receive connector open to anonymous relaying."),
    LOG_FORMAT(STRING, "event.dataset", "Format the line was parsed as (postfix, sendmail, exim, exchange_tracking, iis_smtp, zeek_smtp)."),
    SOURCE_FILE(STRING, "log.file.path", "URI of the file the line came from."),
    SOURCE_LINE(LONG, "log.origin.file.line", "1-based line number in the decompressed file."),
    EVENT_DATE(DATE, "", "UTC date of ts; the partition column.");

    private final Spec spec;

    SmtpEventColumn(FieldType type, String ecs, String doc) {
        this.spec = new Spec(type, ecs, doc);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
