package io.relaywatch.schema;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code schemas/TABLES.md} is generated from the declarations and must match them. */
class TableDocsTest {

    @Test
    void committedTableDocsAreCurrent() throws IOException {
        Path doc = Path.of(System.getProperty("user.dir"), "TABLES.md");
        if (Boolean.getBoolean("tables.update")) {
            Files.writeString(doc, TableDocs.markdown(), StandardCharsets.UTF_8);
        }
        assertEquals(TableDocs.markdown(), Files.readString(doc, StandardCharsets.UTF_8),
                "schemas/TABLES.md is stale: regenerate with mvn -pl schemas test -Dtables.update=true");
    }
}
