package io.maintd.demo;

import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagReader;
import io.maintd.rules.Decision;
import io.maintd.rules.Router;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's rules, written as code with the same meaning as the example config:
 * <pre>
 *   - if: "maint > 0"
 *     unless: { header: X-Maintd-Bypass, equals: TOKEN }
 *     then: maintenance
 *   - if: "shed > 0"
 *     then: { shed: shed }
 *   - then: { backend: app }
 * </pre>
 * Flags are resolved to handles once, here; deciding is a few acquire loads and compares.
 */
public final class DemoRules {
    public static final String BYPASS_HEADER = "X-Maintd-Bypass";
    public static final String BACKEND = "app";

    private static final Decision TO_BACKEND = new Decision(Decision.Action.BACKEND, BACKEND, false);
    private static final Decision BYPASSED = new Decision(Decision.Action.BACKEND, BACKEND, true);
    private static final Decision MAINTENANCE = new Decision(Decision.Action.MAINTENANCE, null, false);
    private static final Decision SHED = new Decision(Decision.Action.SHED, null, false);

    private DemoRules() {
    }

    /** @param bypassToken the value of {@value #BYPASS_HEADER} that lets a request through maintenance */
    public static Router router(FlagReader flags, String bypassToken) {
        FlagHandle maint = flags.handle("maint");
        FlagHandle shed = flags.handle("shed");
        return (request, client) -> {
            if (maint.get() > 0) {
                return bypassToken.equals(request.headers().get(BYPASS_HEADER)) ? BYPASSED : MAINTENANCE;
            }
            long shedPercent = shed.get();
            if (shedPercent > 0 && ThreadLocalRandom.current().nextInt(100) < shedPercent) {
                return SHED;
            }
            return TO_BACKEND;
        };
    }
}
