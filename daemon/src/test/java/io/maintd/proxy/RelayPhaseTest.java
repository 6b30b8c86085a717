package io.maintd.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The relay's phases move only along the drawn edges; anything else is a bug and throws. */
class RelayPhaseTest {
    @Test
    void anExchangeMovesFromConnectingThroughTheResponseBackToIdle() {
        RelayPhase phase = RelayPhase.IDLE.begin();
        phase = phase.moveTo(RelayPhase.AWAITING_RESPONSE).moveTo(RelayPhase.INTERIM).moveTo(RelayPhase.AWAITING_RESPONSE);
        phase = phase.moveTo(RelayPhase.RESPONDING).moveTo(RelayPhase.IDLE);
        assertEquals(RelayPhase.IDLE, phase);
    }

    @Test
    void aStaleConnectionSendsTheRequestAgainOnlyBeforeAnyResponse() {
        RelayPhase.AWAITING_RESPONSE.moveTo(RelayPhase.CONNECTING);
        assertThrows(IllegalStateException.class, () -> RelayPhase.INTERIM.moveTo(RelayPhase.CONNECTING));
        assertThrows(IllegalStateException.class, () -> RelayPhase.RESPONDING.moveTo(RelayPhase.CONNECTING));
    }

    @Test
    void aNewExchangeBeginsOnlyWhenTheLastOneEnded() {
        assertEquals(RelayPhase.CONNECTING, RelayPhase.IDLE.begin());
        for (RelayPhase busy : RelayPhase.values()) {
            if (busy != RelayPhase.IDLE) {
                assertThrows(IllegalStateException.class, busy::begin, busy.name());
            }
        }
        assertThrows(IllegalStateException.class, () -> RelayPhase.IDLE.moveTo(RelayPhase.IDLE));
    }

    @Test
    void onlyAResponseHeadOnItsWayStartsTheResponse() {
        assertThrows(IllegalStateException.class, () -> RelayPhase.CONNECTING.moveTo(RelayPhase.RESPONDING));
        assertThrows(IllegalStateException.class, () -> RelayPhase.INTERIM.moveTo(RelayPhase.SWITCHING));
        assertThrows(IllegalStateException.class, () -> RelayPhase.SWITCHING.moveTo(RelayPhase.RESPONDING));
    }
}
