package io.maintd.fleetsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code <flag file>.fleet}: what the mirror remembers across restarts, and what it refuses to read. */
class MirrorStateTest {
    @TempDir
    Path dir;

    private Path flags() {
        return dir.resolve("flags");
    }

    @Test
    void aMissingFileIsNoControlAndASavedOneReadsBack() throws IOException {
        MirrorState state = MirrorState.load(flags());
        assertEquals(Map.of(), state.all());
        state.put("maint", new MirrorState.Control(0, "/maintd/flags/service/web/maint", 118, 1, 0));
        state.put("drain", new MirrorState.Control(1, "/maintd/flags/host/h 1/drain", 120, 0, 1_795_777_881_193L));
        state.save();
        assertEquals(state.all(), MirrorState.load(flags()).all());
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(MirrorState.pathFor(flags()))));
        state.remove("maint");
        state.save();
        assertEquals(1, MirrorState.load(flags()).all().size());
        assertTrue(Files.readString(MirrorState.pathFor(flags())).startsWith("# maintd fleet mirror state"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "flag=maint base=0 key=/k revision=1 value=1",
        "flag=maint base=0 key=/k revision=1 value=1 expires=0 extra=1",
        "flag=maint base=x key=/k revision=1 value=1 expires=0",
        "flag=maint base=0 key=/k revision=99999999999999999999 value=1 expires=0",
        "garbage",
        "flag=maint base=0 key=\"/k revision=1 value=1 expires=0"})
    void aMalformedLineIsAnErrorNamingTheFileAndLine(String line) throws IOException {
        Files.writeString(MirrorState.pathFor(flags()), "# header\n\n" + line + "\n");
        IOException e = assertThrows(IOException.class, () -> MirrorState.load(flags()));
        assertTrue(e.getMessage().startsWith(MirrorState.pathFor(flags()) + " line 3: "), e.getMessage());
    }

    @Test
    void anOversizeOrBinaryFileIsRefused() throws IOException {
        Files.write(MirrorState.pathFor(flags()), new byte[MirrorState.MAX_BYTES + 1]);
        assertTrue(assertThrows(IOException.class, () -> MirrorState.load(flags())).getMessage().contains("the limit is"));
        Files.write(MirrorState.pathFor(flags()), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals(MirrorState.pathFor(flags()) + ": not UTF-8 text",
                assertThrows(IOException.class, () -> MirrorState.load(flags())).getMessage());
    }
}
