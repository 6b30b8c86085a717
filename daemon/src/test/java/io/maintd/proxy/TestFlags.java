package io.maintd.proxy;

import io.maintd.config.ConfigLoader;
import io.maintd.demo.DemoConfig;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.StandardFlags;
import io.maintd.rules.Router;
import io.maintd.rules.RuleCompiler;
import io.maintd.testsupport.TempFlagFile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/** A real flag file in a test's temporary directory with the daemon's standard flags, and rules compiled against it. */
final class TestFlags implements AutoCloseable {
    static final String BYPASS_TOKEN = "let-me-in";

    private final TempFlagFile file;

    private TestFlags(TempFlagFile file) {
        this.file = file;
        StandardFlags.defineMissing(file.writer());
    }

    static TestFlags create(Path dir) {
        return new TestFlags(TempFlagFile.create(dir));
    }

    Path path() {
        return file.path();
    }

    FlagReader reader() {
        return file.reader();
    }

    void set(String name, long value) {
        file.set(name, value);
    }

    /**
     * The demo's compiled rules: maint > 0 → maintenance unless bypassed; shed > 0 → shed that
     * percentage; else backend "app". Only the rules are used, so the addresses are placeholders.
     */
    Router router() {
        return RuleCompiler.compile(DemoConfig.create(path(), placeholder(1), placeholder(2), placeholder(3), null,
                BYPASS_TOKEN), reader());
    }

    /**
     * The given rules (YAML list items, e.g. {@code "  - then: { backend: app }\n"}) compiled
     * against this flag file; backend {@code app} is the only one.
     */
    Router router(String rules) {
        return RuleCompiler.compile(ConfigLoader.parse("backends: { app: { servers: 127.0.0.1:1 } }\nrules:\n" + rules,
                "test.yaml", Map.of(), RuleCompiler::check), reader());
    }

    private static InetSocketAddress placeholder(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public void close() {
        file.close();
    }
}
