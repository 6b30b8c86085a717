package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.ScheduledWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code set --at ... --for ...}, its grammar and its errors, {@code cancel}, and how list and status show windows. */
class ScheduleCommandTest {
    @TempDir
    Path dir;

    private static List<ScheduledWindow> windows(Path file) {
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            return f.reader().windows();
        }
    }

    @Test
    void anIsoTimeWithAnOffsetSchedulesAWindowAndAudits() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "maint", "1", "--at", "2100-12-01T03:00+01:00", "--for", "1h", "--reason", "db");
        assertEquals(0, run.code, run::toString);
        assertTrue(run.out.startsWith("maint: 1 from 2100-12-01T02:00:00.000Z (in "), run.out);
        assertTrue(run.out.contains(") until 2100-12-01T03:00:00.000Z (1h0m), then back"), run.out);
        long start = Instant.parse("2100-12-01T02:00:00Z").toEpochMilli();
        assertEquals(List.of(new ScheduledWindow("maint", 1, start, start + 3_600_000)), windows(file));
        assertEquals(0, FlagFiles.value(file, "maint"), "nothing changes before the window");
        assertTrue(run.err.contains("no maintd daemon is alive"), "nothing would start it: " + run.err);
        String log = Files.readString(dir.resolve("flags.log"));
        assertTrue(log.contains("op=schedule flag=maint old=- new=1 expires=2100-12-01T03:00:00.000Z reason=db"
                + " at=2100-12-01T02:00:00.000Z"), log);
    }

    @Test
    void plusADurationIsFromNowInTheOneDurationGrammar() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        long before = System.currentTimeMillis();
        assertEquals(0, CliRun.on(file, "set", "drain", "1", "--at", "+1h30m", "--for", "10m").code);
        ScheduledWindow w = windows(file).get(0);
        assertTrue(w.startsAtMillis() >= before + 5_400_000 && w.startsAtMillis() <= System.currentTimeMillis() + 5_400_000,
                w.toString());
        assertEquals(w.startsAtMillis() + 600_000, w.endsAtMillis());
    }

    @Test
    void everyMalformedOrImpossibleAtIsAUsageErrorAndWritesNothing() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        record Bad(String at, String message) {
        }
        for (Bad bad : List.of(
                new Bad("2100-12-01T02:00", "has no offset, so it could be any time zone's; add Z for UTC or one such as"
                        + " +01:00, e.g. 2100-12-01T02:00Z"),
                new Bad("2100-12-01", "is not a time: write ISO-8601 with an offset"),
                new Bad("tomorrow", "is not a time"),
                new Bad("2100-13-01T02:00Z", "is not a time"),
                new Bad("2100-12-01T25:00Z", "is not a time"),
                new Bad("2100-12-01 02:00Z", "is not a time"),
                new Bad("", "is not a time"),
                new Bad("2000-01-01T00:00Z", "is in the past ("),
                new Bad("+", "--at +DURATION: '' is not a duration"),
                new Bad("+soon", "--at +DURATION: 'soon' is not a duration"),
                new Bad("+0s", "--at +DURATION: '0s' must be longer than zero"),
                new Bad("-30m", "is not a time"),
                new Bad("+999999999999999d", "--at +DURATION: '999999999999999d' is too large a duration"))) {
            CliRun run = CliRun.on(file, "set", "maint", "1", "--at", bad.at(), "--for", "1h");
            assertEquals(2, run.code, bad.at() + ": " + run);
            // The time forms quote the whole text; +DURATION is quoted by the duration grammar (DurationSyntax).
            assertTrue((bad.at().startsWith("+") || run.err.contains("--at \"" + bad.at() + "\"")) && run.err.contains(bad.message()),
                    bad.at() + ": " + run.err);
        }
        assertEquals(List.of(), windows(file));
    }

    @Test
    void atNeedsFor() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "maint", "1", "--at", "+1h");
        assertEquals(2, run.code, run::toString);
        assertTrue(run.err.contains("--at needs --for: a window ends (e.g. --at +1h --for 1h)"), run.err);
        assertEquals(List.of(), windows(file));
    }

    @Test
    void aSecondAtReplacesTheWindowAndCancelDropsIt() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        assertEquals(0, CliRun.on(file, "set", "maint", "1", "--at", "2100-01-01T00:00Z", "--for", "1h").code);
        CliRun again = CliRun.on(file, "set", "maint", "1", "--at", "2100-02-01T00:00Z", "--for", "2h");
        assertTrue(again.out.contains("; replaces the window 1 from 2100-01-01T00:00:00.000Z"), again.out);
        assertEquals(1, windows(file).size());
        CliRun cancel = CliRun.on(file, "cancel", "maint", "--reason", "not needed");
        assertEquals(0, cancel.code, cancel::toString);
        assertTrue(cancel.out.startsWith("maint: cancelled the window 1 from 2100-02-01T00:00:00.000Z"), cancel.out);
        assertEquals(List.of(), windows(file));
        assertTrue(Files.readString(dir.resolve("flags.log")).contains("op=cancel flag=maint old=1 new=- "
                + "expires=2100-02-01T02:00:00.000Z reason=\"not needed\" at=2100-02-01T00:00:00.000Z"));
        CliRun nothing = CliRun.on(file, "cancel", "maint");
        assertEquals(0, nothing.code);
        assertEquals("maint: no window scheduled\n", nothing.out);
    }

    @Test
    void listAndStatusShowPendingWindows() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        assertEquals(0, CliRun.on(file, "set", "maint", "1", "--at", "2100-01-01T00:00Z", "--for", "1h").code);
        CliRun list = CliRun.on(file, "list");
        assertTrue(list.out.contains("WINDOW"), list.out);
        assertTrue(list.out.contains("1 from 2100-01-01T00:00:00.000Z (in "), list.out);
        CliRun status = CliRun.on(file, "status");
        assertTrue(status.out.contains("window:   maint=1 from 2100-01-01T00:00:00.000Z (in "), status.out);
        CliRun json = CliRun.on(file, "--json", "status");
        assertTrue(json.out.contains("\"windows\":[{\"name\":\"maint\",\"value\":1,\"starts_at\":\"2100-01-01T00:00:00.000Z\","
                + "\"ends_at\":\"2100-01-01T01:00:00.000Z\",\"starts_in_ms\":"), json.out);
        assertTrue(CliRun.on(file, "--json", "list").out.contains("\"window\":{\"name\":\"maint\","));
    }

    @Test
    void theTimeIsShownInUtcWhateverOffsetItWasWrittenIn() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun run = CliRun.on(file, "set", "maint", "1", "--at", "2100-06-30T23:30:00.250-05:30", "--for", "30m");
        assertEquals(0, run.code, run::toString);
        assertEquals(Instant.parse("2100-07-01T05:00:00.250Z").atOffset(ZoneOffset.UTC).toInstant().toEpochMilli(),
                windows(file).get(0).startsAtMillis());
    }
}
