package io.maintd.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The version and git commit this build was made from, written by the build into
 * {@code io/maintd/build/build.properties}. Read on first use (by {@code --version}, the start-up
 * log line and {@code maintd_build_info}), never on flagctl's ordinary path.
 */
public final class BuildInfo {
    private static final String UNKNOWN = "unknown";
    private static final String[] VALUES = load();

    private BuildInfo() {
    }

    /** The Maven project version, e.g. {@code 0.1.0}. */
    public static String version() {
        return VALUES[0];
    }

    /** The abbreviated commit, or {@code unknown} when built outside a git checkout. */
    public static String commit() {
        return VALUES[1];
    }

    private static String[] load() {
        String[] values = {UNKNOWN, UNKNOWN};
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return values;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("version=")) {
                    values[0] = line.substring("version=".length()).strip();
                } else if (line.startsWith("commit=")) {
                    values[1] = line.substring("commit=".length()).strip();
                }
            }
        } catch (IOException e) {
            // A jar that cannot be read has bigger problems; --version still answers.
        }
        return values;
    }
}
