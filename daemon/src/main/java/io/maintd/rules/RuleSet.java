package io.maintd.rules;

import io.maintd.proxy.http.RequestHead;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The compiled rules of one configuration, first match wins. A rule whose {@code unless:}
 * exempts the request, or a shed rule that lets this request through, passes it on to the
 * next rule. The last rule catches everything (the compiler guarantees it), so every request
 * gets a decision. Immutable and shared by all event loops; a reload compiles a new one.
 */
public final class RuleSet implements Router {
    private final CompiledRule[] rules;
    private final CompiledRule catchAll;
    /** Decisions are preallocated per rule, so each one names its rule; read-only once built. */
    private final Map<Decision, String> ruleKeys = new IdentityHashMap<>();

    RuleSet(CompiledRule[] rules) {
        this.rules = Arrays.copyOf(rules, rules.length - 1);
        this.catchAll = rules[rules.length - 1];
        for (CompiledRule rule : rules) {
            ruleKeys.put(rule.decision(false), rule.key());
            ruleKeys.put(rule.decision(true), rule.key());
        }
    }

    @Override
    public String ruleOf(Decision decision) {
        return ruleKeys.get(decision);
    }

    @Override
    public Decision decide(RequestHead request, InetAddress client) {
        boolean bypassed = false;
        for (CompiledRule rule : rules) {
            if (!rule.applies(request, client)) {
                continue;
            }
            if (rule.exempts(request, client)) {
                bypassed |= rule.isMaintenance();
                continue;
            }
            if (rule.takes()) {
                return rule.decision(bypassed);
            }
        }
        return catchAll.decision(bypassed);
    }

    /** The rules in order on one line, for the start-up and reload log. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (CompiledRule rule : rules) {
            out.append(rule).append("; ");
        }
        return out.append(catchAll).toString();
    }
}
