package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/flagfile.md is enough to read the file from another language: a 30-line Python reader
 * written from it (src/test/resources/read_flags.py) reads exactly what Java wrote.
 */
@Timeout(60)
class PythonReaderTest {
    @TempDir
    Path dir;

    @Test
    void pythonReaderWrittenFromTheDocReadsExactlyWhatJavaWrote() throws Exception {
        Path file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 8, FlagFile.DEFAULT_MODE, null);
        List<FlagSnapshot> written;
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            FlagWriter w = f.writer();
            w.set(w.define("maint", FlagKind.FLAG, 0).handle(), 1);
            w.define("gone", FlagKind.FLAG, 5);
            w.addAndGet(w.define("shed", FlagKind.FLAG, 0).handle(), -25);
            w.setUntil(w.define("weight", FlagKind.FLAG, 100).handle(), 50, 1_700_000_000_000L);
            w.delete("gone");
            w.define("a.long_name-" + "x".repeat(51), FlagKind.FLAG, Long.MIN_VALUE);
            FlagHandle inflight = w.define("inflight", FlagKind.COUNTER, 0).handle();
            try (DaemonLock lock = w.lockForDaemon()) {
                lock.publish(inflight, Long.MAX_VALUE);
            }
            written = f.reader().list();
        }

        assertEquals(5, written.size());
        assertEquals(asPythonJson(written), runPythonReader(file));
    }

    private static String runPythonReader(Path file) throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(PythonReaderTest.class.getResource("/read_flags.py").toURI());
        Process python = new ProcessBuilder("python3", script.toString(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!python.waitFor(60, TimeUnit.SECONDS)) {
            python.destroyForcibly();
        }
        assertEquals(0, python.exitValue(), "read_flags.py exit code; printed: " + out);
        return out;
    }

    /** What Python's json.dumps(..., sort_keys=True) prints for these snapshots. */
    private static String asPythonJson(List<FlagSnapshot> snapshots) {
        return snapshots.stream()
                .sorted(Comparator.comparing(FlagSnapshot::name))
                .map(s -> "\"" + s.name() + "\": {"
                        + "\"change_count\": " + s.changeCount()
                        + ", \"expires_at\": " + s.expiresAtMillis()
                        + ", \"kind\": \"" + s.kind().label() + "\""
                        + ", \"revert_value\": " + s.revertValue()
                        + ", \"slot\": " + s.slot()
                        + ", \"updated_at\": " + s.updatedAtMillis()
                        + ", \"value\": " + s.value()
                        + ", \"writer_pid\": " + s.writerPid()
                        + ", \"writer_uid\": " + s.writerUidUnsigned() + "}")
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
