package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AccountsTest {

    @Test
    void oneAccountHoweverTheUserWasWritten() {
        assertEquals("jdoe", Accounts.of("CONTOSO\\jdoe"));
        assertEquals("jdoe", Accounts.of("CONTOSO/jdoe"));
        assertEquals("jdoe", Accounts.of("jdoe@contoso.example"));
        assertEquals("jdoe", Accounts.of("JDoe"));
        assertEquals("jdoe", Accounts.of("CONTOSO%5Cjdoe"));
        assertEquals("jdoe", Accounts.of("CONTOSO\\x5Cjdoe"), "nginx's escape of the backslash");
        assertEquals("jdoe", Accounts.of("CONTOSO\\\\jdoe"), "Apache's escape of the backslash");
        assertEquals("domain.localjohndoe", Accounts.of("domain.localjohndoe"));
    }

    @Test
    void slashesThatAreNoDomainSeparatorStay() {
        assertEquals("jdoe/admin", Accounts.of("jdoe/admin@EXAMPLE.TEST"), "a Kerberos instance is part of the name");
        assertEquals("a/b/c", Accounts.of("a/b/c"));
        assertEquals("/jdoe", Accounts.of("/jdoe"));
        assertEquals("jdoe/", Accounts.of("jdoe/"));
    }

    @Test
    void anonymousMarkersAreNoAccount() {
        assertNull(Accounts.of("-"));
        assertNull(Accounts.of("ANONYMOUS LOGON"));
        assertNull(Accounts.of(""));
        assertNull(Accounts.of(null));
    }
}
