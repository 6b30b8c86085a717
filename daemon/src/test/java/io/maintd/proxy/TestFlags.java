package io.maintd.proxy;

import io.maintd.daemon.StandardFlags;
import io.maintd.demo.DemoRules;
import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagReader;
import io.maintd.flagfile.FlagWriter;
import io.maintd.rules.Router;
import java.nio.file.Path;

/** A real flag file in a test's temporary directory, with the standard flags defined. */
final class TestFlags implements AutoCloseable {
    static final String BYPASS_TOKEN = "let-me-in";

    private final FlagFile file;
    private final FlagWriter writer;

    private TestFlags(FlagFile file) {
        this.file = file;
        this.writer = file.writer();
        StandardFlags.defineAll(writer);
    }

    static TestFlags create(Path dir) {
        Path path = dir.resolve("flags");
        FlagFile.createIfMissing(path, 64, FlagFile.DEFAULT_MODE, null);
        return new TestFlags(FlagFile.openReadWrite(path));
    }

    Path path() {
        return file.path();
    }

    FlagReader reader() {
        return writer.reader();
    }

    void set(String name, long value) {
        writer.set(reader().handle(name), value);
    }

    /** maint > 0 → maintenance unless bypassed; shed > 0 → shed that percentage; else backend "app". */
    Router router() {
        return DemoRules.router(reader(), BYPASS_TOKEN);
    }

    @Override
    public void close() {
        file.close();
    }
}
