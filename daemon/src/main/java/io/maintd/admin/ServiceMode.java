package io.maintd.admin;

import java.util.Locale;

/** The instance's state in HAProxy's words, derived from flags: maint wins over drain. */
public enum ServiceMode {
    READY,
    DRAIN,
    MAINT;

    public static ServiceMode of(long maint, long drain) {
        if (maint > 0) {
            return MAINT;
        }
        return drain > 0 ? DRAIN : READY;
    }

    /** {@code ready}, {@code drain} or {@code maint}, as health checks and the agent-check say it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
