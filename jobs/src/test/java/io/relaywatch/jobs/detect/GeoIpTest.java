package io.relaywatch.jobs.detect;

import io.relaywatch.schema.Tables;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.relaywatch.schema.SmtpEventColumn.CLIENT_IP;
import static io.relaywatch.schema.SmtpEventColumn.EVENT;
import static io.relaywatch.schema.SmtpEventColumn.MTA_HOST;
import static io.relaywatch.schema.SmtpEventColumn.QUEUE_ID;
import static io.relaywatch.schema.SmtpEventColumn.SASL_USERNAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GeoIP through MaxMind's reader on the bundled free country database (fetched at build time by conf/fetch-geo.sh;
 * MaxMind's own test databases are not on any registry this build can reach).
 */
class GeoIpTest {

    static GeoIp geo;

    @BeforeAll
    static void openDatabase() {
        geo = GeoIp.open(null);
        Assumptions.assumeTrue(geo != null, "no GeoIP database at " + System.getProperty(GeoIp.COUNTRY_DB_PROPERTY)
                + " (run conf/fetch-geo.sh); GeoIP tests skipped");
    }

    @Test
    void countriesOfPublicAddressesAndLabelsForTheRest() {
        assertEquals("CN", geo.country("175.16.199.23"));
        assertEquals("US", geo.country("216.160.83.56"));
        assertEquals("private", geo.country("10.10.5.23"));
        assertEquals("cgnat", geo.country("100.64.23.7"));
        assertEquals("loopback", geo.country("::1"));
        assertEquals("reserved", geo.country("198.51.100.25"));
        assertNull(geo.country("mail.example.com"));
    }

    @Test
    void oneAccountFromThreeCountriesIsAbuseEvenWithFewAddresses() {
        DetectRulesTest.Fixture mail = new DetectRulesTest.Fixture(Tables.SMTP_EVENTS);
        String[] ips = {"175.16.199.23", "216.160.83.56", "89.160.20.112"};
        for (int i = 0; i < ips.length; i++) {
            mail.add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "Q" + i, CLIENT_IP, ips[i],
                    SASL_USERNAME, "victim");
        }
        mail.add(EVENT, "message_accepted", MTA_HOST, "mx1", QUEUE_ID, "Q9", CLIENT_IP, "216.160.83.57",
                SASL_USERNAME, "traveller");
        List<Row> findings = DetectRulesTest.detect(DetectConfig.defaults(), mail);
        Row abuse = DetectRulesTest.only(findings, "auth_account_abuse", "victim");
        assertTrue(abuse.<String>getAs("summary").contains("CN, SE, US"), abuse.toString());
        assertTrue(DetectRulesTest.of(findings, "auth_account_abuse").stream()
                .noneMatch(r -> "traveller".equals(r.getAs("entity"))));
    }
}
