package io.maintd.rules;

import io.maintd.flagfile.FlagHandle;
import io.maintd.proxy.http.RequestHead;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One rule ready to run: condition over flag handles, matchers, and its two possible
 * decisions made up front (plain, and after a maintenance bypass) so choosing one allocates
 * nothing.
 */
final class CompiledRule {
    private final String key;
    private final Condition condition;
    private final RequestMatcher[] match;
    private final RequestMatcher[] unless;
    private final Decision.Action action;
    /** The percentage to shed, for {@link Decision.Action#SHED}; else null. */
    private final FlagHandle shedPercent;
    private final Decision plain;
    private final Decision afterBypass;

    CompiledRule(String key, Condition condition, RequestMatcher[] match, RequestMatcher[] unless,
                 Decision.Action action, String backend, FlagHandle shedPercent) {
        this.key = key;
        this.condition = condition;
        this.match = match;
        this.unless = unless;
        this.action = action;
        this.shedPercent = shedPercent;
        this.plain = new Decision(action, backend, false);
        this.afterBypass = new Decision(action, backend, true);
    }

    /** The rule's key in the config, {@code rules[0]}. */
    String key() {
        return key;
    }

    /** The condition holds and every {@code match:} matcher matches. */
    boolean applies(RequestHead request, InetAddress client) {
        if (!condition.holds()) {
            return false;
        }
        for (RequestMatcher m : match) {
            if (!m.matches(request, client)) {
                return false;
            }
        }
        return true;
    }

    /** Any {@code unless:} matcher matches: each one is an exemption of its own (a token, an office network). */
    boolean exempts(RequestHead request, InetAddress client) {
        for (RequestMatcher m : unless) {
            if (m.matches(request, client)) {
                return true;
            }
        }
        return false;
    }

    /** An exempted maintenance rule is what {@link Decision#bypassed()} reports. */
    boolean isMaintenance() {
        return action == Decision.Action.MAINTENANCE;
    }

    /** False for a shed rule that lets this request through; true for every other action. */
    boolean takes() {
        if (shedPercent == null) {
            return true;
        }
        long percent = shedPercent.get();
        return percent >= 100 || (percent > 0 && ThreadLocalRandom.current().nextInt(100) < percent);
    }

    Decision decision(boolean bypassed) {
        return bypassed ? afterBypass : plain;
    }

    @Override
    public String toString() {
        return key + " -> " + plain.routeLabel() + (plain.backend() != null ? " " + plain.backend() : "");
    }
}
