package io.maintd.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.Mode;
import io.maintd.flagfile.StandardFlags;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeSourceTest {
    @TempDir
    Path dir;

    private ModeFlagsFixture flags;

    @BeforeEach
    void createFlags() {
        flags = ModeFlagsFixture.create(dir);
    }

    @AfterEach
    void closeFlags() {
        flags.close();
    }

    @Test
    void freshFlagsAreReadyAtFullWeight() {
        assertEquals(Mode.READY, flags.modes().mode());
        assertEquals(100, flags.modes().weightPercent());
    }

    @Test
    void positiveDrainIsDrain() {
        flags.set("drain", 1);
        assertEquals(Mode.DRAIN, flags.modes().mode());
    }

    @Test
    void maintWinsOverDrain() {
        flags.set("drain", 1);
        flags.set("maint", 1);
        assertEquals(Mode.MAINT, flags.modes().mode());
    }

    @Test
    void valuesBelowOneAreOff() {
        flags.set("maint", -1);
        flags.set("drain", 0);
        assertEquals(Mode.READY, flags.modes().mode());
    }

    @Test
    void clearingTheFlagReturnsToReady() {
        flags.set("maint", 1);
        flags.set("maint", 0);
        assertEquals(Mode.READY, flags.modes().mode());
    }

    @Test
    void weightIsClampedToZeroToHundredPercent() {
        flags.set("weight", 250);
        assertEquals(100, flags.modes().weightPercent());
        flags.set("weight", -5);
        assertEquals(0, flags.modes().weightPercent());
        flags.set("weight", 37);
        assertEquals(37, flags.modes().weightPercent());
    }

    @Test
    void shutdownTurnsReadyIntoDrain() {
        flags.modes().beginShutdown();
        assertEquals(Mode.DRAIN, flags.modes().mode());
        assertTrue(flags.modes().shuttingDown());
    }

    @Test
    void shutdownKeepsMaint() {
        flags.set("maint", 1);
        flags.modes().beginShutdown();
        assertEquals(Mode.MAINT, flags.modes().mode());
    }

    @Test
    void shutdownDoesNotWriteTheOperatorsDrainFlag() {
        flags.modes().beginShutdown();
        assertEquals(0, flags.get("drain"));
    }

    @Test
    void shutdownClosesConnectionsWithoutTheDrainFlag() {
        assertFalse(flags.modes().closesConnections());
        flags.modes().beginShutdown();
        assertTrue(flags.modes().closesConnections());
    }

    @Test
    void drainFlagClosesConnections() {
        flags.set("drain", 1);
        assertTrue(flags.modes().closesConnections());
    }

    @Test
    void definingAgainKeepsTheStoredValues() {
        flags.set("maint", 1);
        flags.set("weight", 40);
        ModeSource again = ModeSource.of(StandardFlags.defineMissing(flags.writer()));
        assertEquals(Mode.MAINT, again.mode());
        assertEquals(40, again.weightPercent());
    }

    @Test
    void aDeletedFlagReadsAsAbsentNotStuckAtItsLastValue() {
        flags.set("maint", 1);
        flags.set("weight", 40);
        flags.writer().delete("maint");
        flags.writer().delete("weight");

        assertEquals(Mode.READY, flags.modes().mode(), "deleting maint while it was 1 must not leave the host in maint");
        assertEquals(100, flags.modes().weightPercent(), "no weight flag means full weight, as when the daemon starts");
    }

    @Test
    void aFlagCreatedAgainIsFollowedOnceTheHandlesAreRefreshed() {
        flags.writer().delete("maint");
        FlagHandle foo = flags.writer().define("foo", FlagKind.FLAG, 0).handle();
        flags.writer().set(foo, 1);
        FlagHandle maint = flags.writer().define("maint", FlagKind.FLAG, 0).handle();
        flags.writer().set(maint, 1);
        assertEquals(Mode.READY, flags.modes().mode(), "absent until the daemon's mapping re-binds");

        flags.refreshDaemonHandles();

        assertEquals(Mode.MAINT, flags.modes().mode());
    }
}
