package io.relaywatch.parsers;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file read in parts, each part's resolver started from the state the parts before it ended in (folded from their
 * traces), gives every line the year the file read in order gives it: over New Year turns, stragglers from before New
 * Year, long gaps and runs of one month.
 */
class SyslogYearPartsTest {

    private static final ParseContext FILE = new ParseContext("mail.log", ZoneOffset.UTC, null,
            Instant.parse("2026-06-30T12:00:00Z"));

    /** Months and days of a made-up log over some years: mostly forward, with jumps, stragglers and repeats. */
    private static List<int[]> monthsAndDays(Random random, int lines) {
        List<int[]> dates = new ArrayList<>();
        int month = 1 + random.nextInt(12);
        for (int i = 0; i < lines; i++) {
            int roll = random.nextInt(100);
            int given = month;
            if (roll < 60) {
                given = month; // the same month again: most lines
            } else if (roll < 85) {
                month = month % 12 + 1; // the next month, turning the year after December
                given = month;
            } else if (roll < 92) {
                month = 1 + (month + random.nextInt(12)) % 12; // a gap of up to a year
                given = month;
            } else {
                given = 1 + random.nextInt(12); // a straggler, or a jump back, anywhere in the year
            }
            dates.add(new int[] {given, 1 + random.nextInt(28)});
        }
        return dates;
    }

    private static int year(SyslogYear years, int[] date) {
        return years.resolve(date[0], date[1], 12, 0, 0, 0).atZone(ZoneOffset.UTC).getYear();
    }

    @Test
    void partsStartedFromFoldedTracesGiveTheYearsOfTheWholeFile() {
        Random random = new Random(20261201);
        int turns = 0;
        for (int round = 0; round < 500; round++) {
            List<int[]> dates = monthsAndDays(random, 1 + random.nextInt(200));
            SyslogYear whole = FILE.syslogYear();
            List<Integer> expected = new ArrayList<>();
            for (int[] date : dates) {
                expected.add(year(whole, date));
            }
            turns += expected.get(expected.size() - 1) - expected.get(0);

            TreeSet<Integer> cuts = new TreeSet<>(List.of(0, dates.size()));
            for (int n = random.nextInt(8); n > 0; n--) {
                cuts.add(random.nextInt(dates.size() + 1)); // empty parts too
            }
            SyslogYear folding = FILE.syslogYear();
            SyslogYear.State state = null;
            List<Integer> actual = new ArrayList<>();
            Integer from = null;
            for (int cut : cuts) {
                if (from != null) {
                    ParseContext part = FILE.forPart(state);
                    SyslogYear years = part.syslogYear();
                    for (int[] date : dates.subList(from, cut)) {
                        actual.add(year(years, date));
                    }
                    state = folding.after(state, part.years().trace());
                }
                from = cut;
            }
            assertEquals(expected, actual, "round " + round + ", cuts " + cuts);
        }
        assertTrue(turns > 500, "the made-up logs turn the year often: " + turns);
    }

    @Test
    void aPartStartedInTheWrongYearShowsInItsLines() {
        // the check the ingest relies on: a part's years depend on the state it starts in
        SyslogYear.State december2025 = new SyslogYear.State(2025, 12);
        SyslogYear.State december2026 = new SyslogYear.State(2026, 12);
        int[] january = {1, 5};
        assertEquals(2026, year(FILE.forPart(december2025).syslogYear(), january));
        assertEquals(2027, year(FILE.forPart(december2026).syslogYear(), january));
        assertNotEquals(december2025, december2026);
    }

    @Test
    void aPartWhoseParserNeverAsksForYearsLeavesTheStateAsItWas() {
        ParseContext part = FILE.forPart(new SyslogYear.State(2024, 3));
        assertTrue(part.years().trace().isEmpty());
        assertEquals(new SyslogYear.State(2024, 3), FILE.syslogYear().after(new SyslogYear.State(2024, 3),
                part.years().trace()));
    }
}
