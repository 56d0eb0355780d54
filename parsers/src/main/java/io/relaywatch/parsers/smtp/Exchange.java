package io.relaywatch.parsers.smtp;

import io.relaywatch.parsers.Values;

/**
 * What the Exchange logs (protocol logs, message tracking) share: how a server is named and what Exchange's own reply
 * and status texts hold.
 */
final class Exchange {

    private Exchange() {
    }

    /**
     * The server as one name across Exchange's logs: the first label of a host name, as written. Message tracking names
     * the local server by its NetBIOS name on RECEIVE ({@code EX01}) and by its FQDN on SEND ({@code EX01.contoso.com}),
     * a receive connector is {@code EX01\Default Frontend EX01} and a queued reply names {@code Hostname=EX01.contoso.com}:
     * all of them are {@code EX01}. An address stays whole.
     */
    static String server(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (Values.isIp(name)) {
            return name;
        }
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The server of a receive connector id {@code SERVER\Connector name}; {@code null} without the prefix. */
    static String connectorServer(String connectorId) {
        if (connectorId == null) {
            return null;
        }
        int slash = connectorId.indexOf('\\');
        return slash > 0 ? connectorId.substring(0, slash) : null;
    }

    /**
     * Exchange's answer when it queued a message: {@code 250 2.6.0 <message-id> [InternalId=4711, Hostname=EX01.x]
     * 11511 bytes in 0.102, 109,173 KB/sec Queued mail for delivery} (2013+; 2007/2010 without Hostname and the
     * figures). The InternalId is the queue's id of the message: message tracking's {@code internal-message-id}.
     *
     * @param messageId the Message-ID without brackets, or null
     * @param internalId the digits of InternalId, or null
     * @param hostname the server that queued it, or null
     * @param bytes the size the reply names, or null
     */
    record Queued(String messageId, String internalId, String hostname, Long bytes) {
    }

    /** The queued-message parts of {@code reply}, or {@code null} when it does not say "Queued mail for delivery". */
    static Queued queued(String reply) {
        if (reply == null || !reply.startsWith("250") || !reply.regionMatches(true, reply.lastIndexOf("Queued"),
                "Queued mail for delivery", 0, 24)) {
            return null;
        }
        String messageId = null;
        int open = reply.indexOf('<');
        int close = open < 0 ? -1 : reply.indexOf('>', open);
        if (open >= 0 && close > open) {
            messageId = reply.substring(open + 1, close);
        }
        String internalId = Smtp.nextQueueId(reply); // the queue's id, as any MTA's reply names it
        String hostname = bracketValue(reply, "Hostname=");
        Long bytes = null;
        int in = reply.indexOf(" bytes in ");
        if (in > 0) {
            int start = reply.lastIndexOf(' ', in - 1);
            bytes = Values.toCount(reply.substring(start + 1, in));
        }
        return new Queued(messageId, internalId, hostname, bytes);
    }

    /** The value after {@code key} up to the next {@code ,} or {@code ]}. */
    private static String bracketValue(String text, String key) {
        int at = text.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int end = from;
        while (end < text.length() && text.charAt(end) != ',' && text.charAt(end) != ']') {
            end++;
        }
        String value = text.substring(from, end).trim();
        return value.isEmpty() ? null : value;
    }

    /**
     * A recipient status of message tracking: {@code [{LED=550 5.7.1 ...};{MSG=...};{FQDN=mx.example};{IP=192.0.2.7};
     * {LRT=12/03/2025 19:50:43}]} (the last error and the host that gave it, on FAIL and DEFER) or a plain reply
     * ({@code 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found}, {@code 250 2.1.5 Recipient OK}).
     *
     * @param reply the reply text: LED's, or the whole status
     * @param fqdn  the remote host LED came from, or null
     * @param ip    its address, or null
     */
    record Status(String reply, String fqdn, String ip) {
    }

    static Status status(String text) {
        if (text == null) {
            return null;
        }
        int led = text.indexOf("{LED=");
        if (led < 0) {
            return new Status(text, null, null);
        }
        String reply = braced(text, led + 5);
        String fqdn = braceOf(text, "{FQDN=");
        String ip = braceOf(text, "{IP=");
        return new Status(reply, fqdn, Values.isIp(ip) ? ip : null);
    }

    private static String braceOf(String text, String key) {
        int at = text.indexOf(key);
        return at < 0 ? null : Values.orNull(braced(text, at + key.length()));
    }

    /** Text from {@code from} up to the {@code "};{"} or {@code "}]"} that closes a tracking status element. */
    private static String braced(String text, int from) {
        int end = text.indexOf("};{", from);
        int last = text.indexOf("}]", from);
        if (end < 0 || (last >= 0 && last < end)) {
            end = last;
        }
        if (end < 0) {
            end = text.endsWith("}") ? text.length() - 1 : text.length();
        }
        return text.substring(from, Math.max(from, end)).trim();
    }
}
