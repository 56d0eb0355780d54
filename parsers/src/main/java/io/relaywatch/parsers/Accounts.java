package io.relaywatch.parsers;

import io.relaywatch.schema.Column;
import io.relaywatch.schema.TableSchema;

import java.util.Locale;
import java.util.Set;

/**
 * One name per account, however a log wrote it. Exchange names one user as {@code CONTOSO\jdoe} (receive protocol log,
 * IIS {@code cs-username}, which also logs a name typed as {@code CONTOSO/jdoe}), as a UPN {@code jdoe@contoso.local}
 * and as an SMTP address {@code jdoe@contoso.com} (message tracking); Postfix and Exim log whatever the client typed
 * for AUTH. The account is the user part, lower-cased: {@code jdoe} in all of these, so that a stolen account is one
 * entity across the receive log, message tracking and OWA's IIS log.
 *
 * <p>Known limits: two domains' {@code info@} are one account (a site's accounts are taken to be its own domains'); a
 * UPN or address whose user part differs from the logon name ({@code john.doe@contoso.com} for {@code CONTOSO\jdoe})
 * stays two accounts, because only the directory knows they are one.
 */
public final class Accounts {

    /** Names that mean "nobody authenticated", as Exchange and IIS write them. */
    private static final Set<String> ANONYMOUS = Set.of("anonymous", "anonymous logon", "nt authority\\anonymous logon",
            "nt-autorität\\anonymous-anmeldung", "-");

    private Accounts() {
    }

    /**
     * Sets a row's {@code account} from its logged user name ({@code sasl_username}, {@code user_name}) when the parser
     * left it open, as ingest does for every row ({@link FileParser}): one per table, reused row after row (the same
     * name twice running is not read again).
     */
    public static final class Filler {
        private final Column account;
        private final Column user;
        private String lastUser;
        private String lastAccount;

        private Filler(TableSchema table) {
            Column a = table.column("account").orElse(null);
            Column u = table.column("sasl_username").or(() -> table.column("user_name")).orElse(null);
            this.account = a != null && u != null ? a : null;
            this.user = this.account == null ? null : u;
        }

        public void fill(EventRecord record) {
            if (account != null && record.get(account) == null && record.get(user) instanceof String name) {
                if (!name.equals(lastUser)) {
                    lastUser = name;
                    lastAccount = of(name);
                }
                record.set(account, lastAccount);
            }
        }
    }

    /** The filler for rows of {@code table} (one that does nothing for tables without an account). */
    public static Filler filler(TableSchema table) {
        return new Filler(table);
    }

    /** The account for a logged user name, or {@code null} for none or an anonymous marker. */
    public static String of(String logged) {
        if (logged == null) {
            return null;
        }
        String name = logged.strip();
        if (name.length() > 1 && (name.charAt(0) == '<' && name.endsWith(">")
                || name.charAt(0) == '"' && name.endsWith("\""))) {
            name = name.substring(1, name.length() - 1).strip();
        }
        if (name.indexOf('%') >= 0) {
            // IIS and proxies sometimes log the name URL-encoded: CONTOSO%5Cjdoe, jdoe%40contoso.com
            name = name.replace("%5C", "\\").replace("%5c", "\\").replace("%40", "@");
        }
        if (name.indexOf("\\x") >= 0) {
            // nginx escapes a backslash in $remote_user as \x5C: CONTOSO\x5Cjdoe
            name = name.replace("\\x5C", "\\").replace("\\x5c", "\\");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || ANONYMOUS.contains(lower)) {
            return null;
        }
        int backslash = lower.lastIndexOf('\\');
        if (backslash >= 0) {
            lower = lower.substring(backslash + 1);
        } else {
            int slash = lower.indexOf('/');
            if (slash > 0 && slash == lower.lastIndexOf('/') && slash < lower.length() - 1 && lower.indexOf('@') < 0) {
                // CONTOSO/jdoe: typed with the wrong slash into a Basic logon, IIS logs it as typed
                lower = lower.substring(slash + 1);
            }
        }
        int at = lower.lastIndexOf('@');
        if (at > 0) {
            lower = lower.substring(0, at);
        }
        return lower.isEmpty() ? null : lower;
    }
}
