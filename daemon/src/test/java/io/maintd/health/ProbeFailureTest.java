package io.maintd.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The reason texts of each transport's connect failures, as they reach logs, /status and the agent. */
class ProbeFailureTest {
    @Test
    void eachTransportsRefusedConnectReadsTheSame() {
        assertEquals("Connection refused",
                ProbeFailure.describe(new IOException("finishConnect(..) failed with error(-111): Connection refused")));
        assertEquals("Connection refused",
                ProbeFailure.describe(new IOException("io_uring connect(..) failed with error(-111): Connection refused")));
        assertEquals("Connection refused", ProbeFailure.describe(new ConnectException("Connection refused: /127.0.0.1:9001")));
    }

    @Test
    void aTimedOutConnectSaysHowLongItWaited() {
        assertEquals("connect timed out after 500 ms",
                ProbeFailure.describeConnect(new ConnectTimeoutException("connection timed out"), 500));
    }

    @Test
    void controlCharactersAndLengthAreBounded() {
        assertEquals("a?b", ProbeFailure.describe(new IOException("a\nb")));
        assertEquals(200, ProbeFailure.describe(new IOException("x".repeat(500))).length());
        assertEquals("IOException", ProbeFailure.describe(new IOException()));
    }
}
