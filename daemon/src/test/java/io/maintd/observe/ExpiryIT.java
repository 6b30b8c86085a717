package io.maintd.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagSnapshot;
import io.maintd.metrics.PrometheusText;
import io.maintd.testsupport.FlagctlRun;
import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code flagctl set --for}: only the daemon reverts, so it must, on time, and say so. */
@Timeout(120)
class ExpiryIT {
    @TempDir
    Path dir;

    @Test
    void forExpiryIsRevertedWithinASecondOfItsDeadlineLoggedAndCounted() throws Exception {
        try (HeldBackend app = new HeldBackend("app"); MaintdProcess maintd = ObservedMaintd.start(dir, app.port());
             FlagFile file = FlagFile.openReadOnly(maintd.flags())) {
            FlagctlRun.run(maintd.flags(), "set", "maint", "1", "--for", "2s").ok();
            FlagSnapshot set = snapshot(file);
            assertEquals(1, set.value());
            assertTrue(set.expires(), "flagctl recorded a deadline");
            long deadline = set.expiresAtMillis();

            String line = maintd.awaitLogLine("flag maint 1 -> 0 by pid " + maintd.pid());
            assertTrue(line.endsWith("(expiry reverted it)"), line);

            FlagSnapshot reverted = snapshot(file);
            assertEquals(0, reverted.value());
            assertEquals(0, reverted.expiresAtMillis(), "the deadline is cleared with the revert");
            long late = reverted.updatedAtMillis() - deadline;
            assertTrue(late >= 0 && late <= 1000, "reverted " + late + " ms after the deadline");
            assertEquals(1.0, PrometheusText.value(PrometheusText.parse(maintd.adminBody("/metrics")),
                    "maintd_flag_expiries_total", "flag", "maint"));
        }
    }

    private static FlagSnapshot snapshot(FlagFile file) {
        return file.reader().snapshot(file.reader().handle("maint")).orElseThrow();
    }
}
