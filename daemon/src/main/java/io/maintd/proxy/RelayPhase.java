package io.maintd.proxy;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where {@link UpstreamRelay} is with the exchange it relays, seen from the response side (the
 * request body may still be streaming up in any phase after {@link #CONNECTING}: a server may
 * answer before it has read the whole body). Moves are checked: a move the table below does not
 * allow is a bug and throws.
 *
 * <pre>
 *   IDLE ──begin──▶ CONNECTING ──attached──▶ AWAITING_RESPONSE ──final head──▶ RESPONDING ──end──▶ IDLE
 *                    ▲     │ retry            │   ▲      │ 101                                ▲
 *                    └─────┘◀──stale retry────┘   │      └──────▶ SWITCHING ──end: tunnel──────┤
 *                                           1xx ▼ │ end                                        │
 *                                             INTERIM                    any failure ──────────┘
 * </pre>
 */
enum RelayPhase {
    /** No exchange; body pieces left over from a failed one are dropped. */
    IDLE,
    /** Picking a server and taking a pooled connection or opening one (also on a retry). */
    CONNECTING,
    /** The request went (or is going) up; no response head has come back yet. */
    AWAITING_RESPONSE,
    /** An interim (1xx) response is on its way to the client; the real one follows. */
    INTERIM,
    /** The final response head went to the client; its body streams down. */
    RESPONDING,
    /** A 101 went to the client; at its end both connections become a tunnel. */
    SWITCHING;

    private Set<RelayPhase> next;

    static {
        IDLE.next = EnumSet.noneOf(RelayPhase.class);
        CONNECTING.next = EnumSet.of(CONNECTING, AWAITING_RESPONSE, IDLE);
        AWAITING_RESPONSE.next = EnumSet.of(INTERIM, RESPONDING, SWITCHING, CONNECTING, IDLE);
        INTERIM.next = EnumSet.of(AWAITING_RESPONSE, IDLE);
        RESPONDING.next = EnumSet.of(IDLE);
        SWITCHING.next = EnumSet.of(IDLE);
    }

    /**
     * A new exchange starts, which only an idle relay may do: the moves into CONNECTING from
     * later phases are retries of the same exchange.
     */
    RelayPhase begin() {
        if (this != IDLE) {
            throw new IllegalStateException("relay cannot begin an exchange while " + this);
        }
        return CONNECTING;
    }

    RelayPhase moveTo(RelayPhase target) {
        if (!next.contains(target)) {
            throw new IllegalStateException("relay cannot move from " + this + " to " + target);
        }
        return target;
    }

    /** Some of the response (a final head or a 101) has reached the client: errors can only cut it short now. */
    boolean responseStarted() {
        return this == RESPONDING || this == SWITCHING;
    }
}
