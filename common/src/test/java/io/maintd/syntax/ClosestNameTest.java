package io.maintd.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one "did you mean": commands, flags, config keys, backends. */
class ClosestNameTest {
    private static final List<String> FLAGCTL = List.of("init", "list", "get", "set", "add", "incr", "decr", "cas",
            "create", "delete", "wait", "watch", "status", "log", "help");
    private static final List<String> KEYS = List.of("listen", "admin", "agent", "backends", "maintenance");

    @Test
    void aSwapOfTwoLettersIsOneEdit() {
        // Levenshtein made "lsit" two edits from both init and list, and init came first.
        assertEquals("list", ClosestName.to("lsit", FLAGCTL));
        assertEquals("listen", ClosestName.to("lsiten", KEYS));
        assertEquals(1, ClosestName.distance("drian", "drain"));
    }

    @ParameterizedTest
    @CsvSource({"sett, set", "wath, watch", "relaod, reload", "agnet, agent", "Maint, maint", "maintainance, maintenance",
        "conect-timeout, connect-timeout"})
    void closeTyposGetTheName(String typed, String meant) {
        assertEquals(meant, ClosestName.to(typed, List.of("set", "watch", "reload", "agent", "maint", "maintenance",
                "connect-timeout")));
    }

    @ParameterizedTest
    @CsvSource({"weight", "frontend", "zz", "x"})
    void namesFarFromEveryCandidateGetNothing(String typed) {
        assertNull(ClosestName.to(typed, List.of("maint", "drain", "backends")));
    }

    @Test
    void shortNamesAreAllowedOneEditAndLongOnesAtMostThree() {
        assertNull(ClosestName.to("mnt", List.of("maint")));
        assertEquals("connect-timeout", ClosestName.to("conect-timot", List.of("connect-timeout")));
        assertNull(ClosestName.to("conect-tmot", List.of("connect-timeout")));
    }

    @Test
    void theConfigHintQuotesTheName() {
        assertEquals("did you mean 'listen'?", ClosestName.hint("lsiten", KEYS));
        assertNull(ClosestName.hint("backend-pool", KEYS));
    }

    @Test
    void aHugeNameIsAnsweredWithoutComparingItLetterByLetter() {
        assertNull(ClosestName.to("a".repeat(5_000_000), KEYS));
        assertNull(ClosestName.to("", KEYS));
    }
}
