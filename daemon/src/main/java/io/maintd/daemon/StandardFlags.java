package io.maintd.daemon;

import io.maintd.flagfile.FlagKind;
import io.maintd.flagfile.FlagWriter;

/** The flags every maintd flag file has, defined at daemon start if absent (existing values are kept). */
public final class StandardFlags {
    public static final String MAINT = "maint";
    public static final String DRAIN = "drain";
    /** Percentage (0-100) of requests to refuse with 503 + Retry-After. */
    public static final String SHED = "shed";
    /** Percentage (0-100) reported to HAProxy's agent-check as the server weight. */
    public static final String WEIGHT = "weight";

    private StandardFlags() {
    }

    public static void defineAll(FlagWriter writer) {
        writer.define(MAINT, FlagKind.FLAG, 0);
        writer.define(DRAIN, FlagKind.FLAG, 0);
        writer.define(SHED, FlagKind.FLAG, 0);
        writer.define(WEIGHT, FlagKind.FLAG, 100);
    }
}
