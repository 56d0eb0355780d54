package io.relaywatch.schema;

import java.util.Locale;

/** The values of {@code smtp_events.event}: what one MTA log event means, whatever MTA wrote it. */
public enum SmtpEvent {
    /** A client opened an SMTP connection (Postfix "connect from", postscreen CONNECT, IIS/Exchange session start). */
    CONNECT("A client opened an SMTP connection."),
    /** The connection ended (Postfix "disconnect from", Exim "SMTP connection lost"). */
    DISCONNECT("The SMTP connection ended normally."),
    /** The connection ended abnormally ("lost connection after DATA", timeouts, too many errors). */
    LOST_CONNECTION("The connection was lost or timed out before the client said QUIT."),
    /** SMTP AUTH succeeded; sasl_username names the account. */
    AUTH_SUCCESS("SMTP AUTH succeeded for sasl_username."),
    /** SMTP AUTH failed (Postfix "SASL LOGIN authentication failed", Exim "authenticator failed", 535 replies). */
    AUTH_FAILURE("SMTP AUTH failed; sasl_username holds the attempted user where logged."),
    /** The MTA refused a command: relay denied, unknown user, RBL listing, HELO checks, ... (smtp_code/reason say why). */
    REJECT("The MTA refused a client command (relay denied, RBL, policy); smtp_code and reason say why."),
    /** A message entered the queue: Postfix smtpd "client=", Sendmail "from=", Exim "&lt;=", Exchange RECEIVE. */
    MESSAGE_ACCEPTED("A message was accepted from a client into the queue."),
    /** Queue manager or cleanup details of a queued message (Postfix qmgr from=/size/nrcpt, cleanup message-id). */
    MESSAGE_QUEUED("Queue details of an accepted message (sender, size, recipient count, Message-ID)."),
    /** Delivered to the next hop or mailbox (status=sent, stat=Sent, Exim "=&gt;", Exchange DELIVER/SEND). */
    DELIVERED("The message was handed to the next hop or a mailbox."),
    /** Temporary failure; the message stays queued (status=deferred, Exim "==", Exchange DEFER). */
    DEFERRED("Delivery failed temporarily; the message stays in the queue."),
    /** Permanent failure (status=bounced, Exim "**", Exchange FAIL). */
    BOUNCED("Delivery failed permanently; a bounce is due to the sender."),
    /** The message was returned after its maximum queue lifetime (status=expired). */
    EXPIRED("The message stayed queued too long and was given up."),
    /** The MTA created a delivery status notification for a failed message (Postfix bounce "sender non-delivery notification"). */
    BOUNCE_NOTIFICATION("The MTA generated a non-delivery notification back to the sender."),
    /** The message left the queue (Postfix "removed", Exim "Completed"). */
    REMOVED("The message left the queue."),
    /** A client sent something that is not SMTP, typically an HTTP request relayed to port 25 (Postfix "non-SMTP command"). */
    NON_SMTP_COMMAND("A client sent a non-SMTP line (an HTTP request on port 25 is the classic proxy abuse)."),
    /** One SMTP command of a protocol log (IIS SMTP W3C: EHLO, MAIL, RCPT, DATA, ...). */
    COMMAND("An SMTP command and its reply from a per-command protocol log."),
    /** A whole observed SMTP transaction (one Zeek smtp.log record). */
    TRANSACTION("A whole SMTP transaction seen on the wire (Zeek)."),
    /** A postscreen or DNSBL verdict about a client before SMTP (PASS NEW, DNSBL rank, PREGREET). */
    SCREEN("A pre-SMTP screening verdict (postscreen) about the client."),
    /** A warning or error line of the MTA that is about the MTA itself, not a message. */
    WARNING("An MTA warning or error that concerns the MTA rather than one message."),
    /** Anything else the MTA logged; reason holds the message text. */
    OTHER("Any other MTA line; reason holds its text.");

    private final String description;

    SmtpEvent(String description) {
        this.description = description;
    }

    /** The value stored in {@code smtp_events.event}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }
}
