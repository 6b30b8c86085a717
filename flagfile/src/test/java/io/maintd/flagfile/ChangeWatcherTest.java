package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Watching the change sequence: wakes for another process's write, gives up when told. */
@Timeout(60)
class ChangeWatcherTest {
    private static final long SAFETY_NET_NANOS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void createFile() {
        file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 4, FlagFile.DEFAULT_MODE, null);
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            f.writer().define("maint", FlagKind.FLAG, 0);
        }
    }

    @Test
    void returnsTheNewSequenceWhenAnotherProcessWrites() throws Exception {
        try (FlagFile f = FlagFile.openReadOnly(file); ChildJvm writer = ChildJvm.start("serve-sets", file.toString(), "maint")) {
            FlagReader reader = f.reader();
            long seen = reader.changeSequence();
            CompletableFuture<Long> watched = CompletableFuture.supplyAsync(() -> reader.watcher().awaitChange(seen, SAFETY_NET_NANOS));

            writer.send("1");
            writer.expectLine("done 1");

            assertEquals(seen + 1, watched.get(60, TimeUnit.SECONDS));
            assertEquals(1, reader.handle("maint").get());
        }
    }

    @Test
    void returnsTheSeenSequenceWhenNothingChangesBeforeTheTimeout() {
        try (FlagFile f = FlagFile.openReadOnly(file)) {
            long seen = f.reader().changeSequence();

            assertEquals(seen, f.reader().watcher().awaitChange(seen, TimeUnit.MILLISECONDS.toNanos(20)));
        }
    }

    @Test
    void returnsAtOnceWhenTheSequenceMovedBeforeTheCall() {
        try (FlagFile f = FlagFile.openReadWrite(file)) {
            long seen = f.reader().changeSequence();
            f.writer().set(f.reader().handle("maint"), 1);

            assertNotEquals(seen, f.reader().watcher().awaitChange(seen, SAFETY_NET_NANOS));
        }
    }
}
