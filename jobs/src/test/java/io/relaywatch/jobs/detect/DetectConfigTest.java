package io.relaywatch.jobs.detect;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectConfigTest {

    @Test
    void theExampleConfigLoadsAndNamesOnlyKnownThresholds() throws IOException {
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/detect.example.json");
        try (var in = Files.newInputStream(example)) {
            DetectConfig config = DetectConfig.read(in);
            assertEquals(20, config.evidenceCap);
            assertEquals(List.of(), DetectJob.unknownThresholds(config));
            assertTrue(config.localNetworks().contains("198.51.100.25"));
            assertTrue(config.allowed().contains("192.0.2.33"));
        }
    }

    @Test
    void unknownKeysAreErrorsNotSilentlyIgnored() {
        String json = "{\"local_network\": [\"10.0.0.0/8\"]}";
        assertThrows(IOException.class,
                () -> DetectConfig.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void networksMatchIpv4AndIpv6AndNeverResolveNames() {
        Networks n = new Networks(List.of("10.0.0.0/8", "2001:db8::/32", "192.0.2.128/25"));
        assertTrue(n.contains("10.1.2.3"));
        assertTrue(n.contains("2001:db8:5::1"));
        assertTrue(n.contains("192.0.2.200"));
        assertFalse(n.contains("192.0.2.100"));
        assertFalse(n.contains("localhost"));
        assertFalse(n.contains(null));
        assertEquals("175.16.199.0/24", Networks.subnetOf("175.16.199.23"));
        assertEquals("2001:db8:1:2::/64", Networks.subnetOf("2001:db8:1:2:3:4:5:6"));
        assertEquals("2001:0:0:1::/64", Networks.subnetOf("2001:0:0:1::9"));
        assertEquals("::1", Networks.format(Networks.bytes("::1")));
        assertThrows(IllegalArgumentException.class, () -> new Networks(List.of("10.0.0.0/33")));
    }
}
