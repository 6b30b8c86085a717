package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's log names every flag change once, with the process and user that made it. */
@Timeout(120)
class FlipLogIT {
    @TempDir
    Path dir;

    @Test
    void eachFlipIsLoggedOnceWithTheWritersPidAndUid() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port())) {
            FlagctlRun on = FlagctlRun.run(maintd.flags(), "set", "drain", "1").ok();
            String onLine = "flag drain 0 -> 1 by pid " + on.pid() + " uid " + uid;
            maintd.awaitLogLine(onLine);
            FlagctlRun off = FlagctlRun.run(maintd.flags(), "set", "drain", "0").ok();
            String offLine = "flag drain 1 -> 0 by pid " + off.pid() + " uid " + uid;
            // The second line is logged ticks after the first change: time enough to repeat it, had it been.
            maintd.awaitLogLine(offLine);

            assertEquals(1, count(maintd, onLine), String.join("\n", maintd.logLines()));
            assertEquals(1, count(maintd, offLine));
            assertEquals(2, count(maintd, "flag drain "), "no other line about drain");
        }
    }

    private static long count(MaintdProcess maintd, String text) throws IOException {
        return maintd.logLines().stream().filter(l -> l.contains(text)).count();
    }
}
