package io.maintd.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListenFdsTest {
    private static final long PID = 4242;

    @Test
    void notActivatedWithoutListenPid() {
        assertFalse(ListenFds.parse(Map.of("LISTEN_FDS", "1"), PID).activated());
    }

    @Test
    void socketsMeantForAnotherProcessAreNotTaken() {
        assertFalse(ListenFds.parse(Map.of("LISTEN_PID", "4243", "LISTEN_FDS", "1"), PID).activated());
    }

    @Test
    void descriptorsStartAtThreeWithTheirNames() {
        ListenFds fds = ListenFds.parse(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "http:agent"), PID);
        assertEquals(List.of(new ListenFds.Inherited(3, "http"), new ListenFds.Inherited(4, "agent")), fds.sockets());
    }

    @Test
    void withoutFdNamesEverySocketIsUnknown() {
        ListenFds fds = ListenFds.parse(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "1"), PID);
        assertEquals(List.of(new ListenFds.Inherited(3, "unknown")), fds.sockets());
    }

    @Test
    void malformedListenFdsIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenFds.parse(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "two"), PID));
        assertEquals("LISTEN_FDS=two is not a number of descriptors", e.getMessage());
    }

    @Test
    void namesThatDoNotMatchTheCountAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ListenFds.parse(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2", "LISTEN_FDNAMES", "http"), PID));
        assertEquals("LISTEN_FDNAMES=http names 1 sockets but LISTEN_FDS=2", e.getMessage());
    }
}
