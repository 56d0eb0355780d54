package io.relaywatch.jobs.detect;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What detection needs to know about the site, from one JSON file ({@code --config}); every field is optional.
 * An example is {@code conf/detect.example.json}; rule defaults are in {@link FindingRule}.
 */
public final class DetectConfig implements Serializable {

    /** Networks that are ours, besides the private and loopback ranges (public blocks, DMZ). */
    @JsonProperty("local_networks")
    public List<String> localNetworks = new ArrayList<>();

    /** Mail domains that are ours; when empty, inferred from the recipients our MTAs deliver to mailboxes. */
    @JsonProperty("local_domains")
    public List<String> localDomains = new ArrayList<>();

    /** Addresses of hosts allowed to send SMTP to the internet; added to those inferred from the mail logs. */
    @JsonProperty("mtas")
    public List<String> mtas = new ArrayList<>();

    /** Addresses or networks never reported and never blocked (monitoring, partners). */
    @JsonProperty("allow_list")
    public List<String> allowList = new ArrayList<>();

    /** At most this many evidence lines per finding (event_count always has the full number). */
    @JsonProperty("evidence_cap")
    public int evidenceCap = 20;

    /** An MMDB country database to use instead of the bundled one (geo/iptoasn-country.mmdb). */
    @JsonProperty("geoip_country_db")
    public String geoipCountryDb;

    /** A folder with asn-ipv4-num.csv / asn-ipv6.csv range files to use instead of the bundled ones (geo/). */
    @JsonProperty("asn_ranges_dir")
    public String asnRangesDir;

    /** Sources of findings at least this severe go to the blocklist. */
    @JsonProperty("blocklist_min_severity")
    public String blocklistMinSeverity = "high";

    /** Rule thresholds by "rule.parameter"; anything missing takes the rule's default. */
    @JsonProperty("thresholds")
    public Map<String, Double> thresholds = new LinkedHashMap<>();

    public static DetectConfig defaults() {
        return new DetectConfig();
    }

    public static DetectConfig read(InputStream in) throws IOException {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .readValue(in, DetectConfig.class);
    }

    /** Every network counted as ours: reserved ranges plus the configured ones. */
    public Networks localNetworks() {
        List<String> all = new ArrayList<>(Networks.RESERVED);
        all.addAll(localNetworks);
        return new Networks(all);
    }

    public Networks allowed() {
        return new Networks(allowList);
    }
}
