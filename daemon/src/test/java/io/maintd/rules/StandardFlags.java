package io.maintd.rules;

import io.maintd.flagfile.FlagFile;
import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;
import java.nio.file.Path;

/** A real flag file in a test directory with the flags the daemon defines at start. */
public final class StandardFlags {
    private StandardFlags() {
    }

    /** Creates {@code dir/flags} with maint=0, drain=0, shed=0, weight=100 and returns a writer on it. */
    public static FlagWriter create(Path dir) {
        Path file = dir.resolve("flags");
        FlagFile.createIfMissing(file, 64, FlagFile.DEFAULT_MODE, null);
        FlagWriter writer = FlagFile.openReadWrite(file).writer();
        writer.define("maint", FlagKind.FLAG, 0);
        writer.define("drain", FlagKind.FLAG, 0);
        writer.define("shed", FlagKind.FLAG, 0);
        writer.define("weight", FlagKind.FLAG, 100);
        return writer;
    }
}
