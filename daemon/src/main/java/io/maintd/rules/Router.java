package io.maintd.rules;

import io.maintd.proxy.http.RequestHead;
import java.net.InetAddress;

/**
 * Decides a request from the flags and the request head. Implementations read flags through
 * resolved handles (one acquire load each) and must not block, lock or allocate.
 */
@FunctionalInterface
public interface Router {
    Decision decide(RequestHead request, InetAddress client);

    /** The rule that hands out {@code decision} ({@code rules[2]}), for the access log; null if unknown. */
    default String ruleOf(Decision decision) {
        return null;
    }
}
