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
    void autonomousSystemsFromTheBundledRanges() {
        AsnRanges asns = AsnRanges.open(null);
        Assumptions.assumeTrue(asns != null, "no ASN ranges at " + System.getProperty(AsnRanges.DIRECTORY_PROPERTY)
                + " (run conf/fetch-geo.sh); ASN checks skipped");
        assertTrue(asns.asn("175.16.199.23").startsWith("AS4837 "), asns.asn("175.16.199.23"));
        assertTrue(asns.asn("2001:4:112::1").startsWith("AS112 "), asns.asn("2001:4:112::1"));
        assertNull(asns.asn("10.10.5.23"));
        assertNull(asns.asn("not-an-ip"));
    }

    @Test
    void floodsAreGroupedByAutonomousSystemAcrossNetworks() {
        Assumptions.assumeTrue(AsnRanges.open(null) != null, "no ASN ranges; skipped");
        DetectRulesTest.Fixture mail = new DetectRulesTest.Fixture(Tables.SMTP_EVENTS);
        for (int i = 0; i < 24; i++) {
            mail.add(EVENT, "connect", MTA_HOST, "mx1", CLIENT_IP, "175.16." + (196 + i % 4) + "." + (10 + i));
        }
        List<Row> findings = DetectRulesTest.detect(DetectConfig.defaults(), mail);
        Row byAsn = DetectRulesTest.of(findings, "smtp_flood_subnet").stream()
                .filter(r -> "asn".equals(r.getAs("entity_type"))).findFirst().orElseThrow();
        assertTrue(byAsn.<String>getAs("entity").startsWith("AS4837 "), byAsn.toString());
        assertTrue(byAsn.<String>getAs("summary").startsWith("24 addresses in 4 /24 networks"), byAsn.toString());
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
