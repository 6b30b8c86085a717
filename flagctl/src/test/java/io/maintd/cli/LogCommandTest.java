package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.AuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCommandTest {
    @TempDir
    Path dir;

    @Test
    void showsWhoChangedWhatAndWhy() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--reason", "kernel upgrade \"5.10\"");
        CliRun run = CliRun.on(file, "log", "-n", "1");
        assertEquals(0, run.code, run::toString);
        String me = System.getProperty("user.name");
        assertTrue(run.out.matches("time=\\d{4}-\\S+Z user=" + me + " uid=\\d+ pid=" + ProcessHandle.current().pid()
                + " op=set flag=maint old=0 new=1 expires=- reason=\"kernel upgrade \\\\\"5.10\\\\\"\"\n"), run.out);
    }

    @Test
    void everyWriteIsOneLineNewestLast() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1");
        CliRun.on(file, "incr", "drain", "2");
        CliRun.on(file, "cas", "drain", "2", "0");
        CliRun.on(file, "delete", "drain");
        String[] lines = CliRun.on(file, "log").out.split("\n");
        String[] expected = {
            "op=init flag=- old=- new=-", "op=create flag=maint old=- new=0", "op=create flag=drain old=- new=0",
            "op=set flag=maint old=0 new=1", "op=incr flag=drain old=0 new=2", "op=cas flag=drain old=2 new=0",
            "op=delete flag=drain old=0 new=-",
        };
        assertEquals(expected.length, lines.length, String.join("\n", lines));
        for (int i = 0; i < expected.length; i++) {
            assertTrue(lines[i].contains(expected[i]), lines[i] + " lacks " + expected[i]);
        }
    }

    @Test
    void expiryIsRecorded() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--for", "1h");
        assertTrue(CliRun.on(file, "log", "-n", "1").out.matches(".* expires=\\d{4}-\\S+Z reason=-\n"));
    }

    @Test
    void sudoUserIsRecordedWhenPresent() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.run(Map.of("SUDO_USER", "alice"), "--file", file.toString(), "set", "maint", "1");
        assertTrue(CliRun.on(file, "log", "-n", "1").out.contains(" sudo_user=alice op=set "));
    }

    @Test
    void jsonParsesEachLine() {
        Path file = FlagFiles.withMaintAndDrain(dir);
        CliRun.on(file, "set", "maint", "1", "--reason", "x y");
        CliRun run = CliRun.on(file, "--json", "log", "-n", "1");
        assertTrue(run.out.matches("\\{\"time\":\"\\S+Z\",\"user\":\"[^\"]+\",\"uid\":\\d+,\"pid\":\\d+,\"op\":\"set\","
                + "\"flag\":\"maint\",\"old\":0,\"new\":1,\"expires\":null,\"reason\":\"x y\"}\n"), run.out);
    }

    @Test
    void tailReadsAcrossChunkBoundaries() throws Exception {
        Path file = FlagFiles.withMaintAndDrain(dir);
        for (int i = 1; i <= 150; i++) {
            CliRun.on(file, "set", "maint", Integer.toString(i), "--reason", "step " + i);
        }
        assertTrue(Files.size(AuditLog.pathFor(file)) > 8192 * 2);
        String[] lines = CliRun.on(file, "log", "-n", "120").out.split("\n");
        assertEquals(120, lines.length);
        assertTrue(lines[0].contains("old=30 new=31 "), lines[0]);
        assertTrue(lines[119].contains("old=149 new=150 "), lines[119]);
    }

    @Test
    void missingLogSaysItIsCreatedByTheFirstWrite() {
        CliRun run = CliRun.on(dir.resolve("flags"), "log");
        assertEquals(0, run.code, run::toString);
        assertEquals("", run.out);
        assertTrue(run.err.contains("no entries in " + dir.resolve("flags.log") + " yet"), run::toString);
    }
}
