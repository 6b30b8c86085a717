package io.maintd.daemon;

import io.maintd.testsupport.HeldBackend;
import io.maintd.testsupport.MaintdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Per test, a real maintd (flag file {@code dir/flags}; proxy, admin and agent ports) in front
 * of a {@link HeldBackend} named {@code app}, in a fresh directory: what the tests that damage
 * or re-create flags under a running daemon start from. Register it as a field with
 * {@code @RegisterExtension}.
 */
final class DaemonWithAgent implements BeforeEachCallback, AfterEachCallback {
    Path dir;
    Path flags;
    MaintdProcess maintd;
    private HeldBackend backend;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("maintd-daemon-");
        flags = dir.resolve("flags");
        backend = new HeldBackend("app");
        maintd = MaintdProcess.start(MaintdProcess.config(dir, backend.port(), "agent: 127.0.0.1:0"), Map.of());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (maintd != null) {
                maintd.close();
            }
        } finally {
            backend.close();
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
