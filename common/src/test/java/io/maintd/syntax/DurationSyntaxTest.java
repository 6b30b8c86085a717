package io.maintd.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one duration grammar: maintd.yaml's timeouts and every command-line duration. */
class DurationSyntaxTest {

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "2m, 120000", "1h, 3600000", "1d, 86400000", "1h30m, 5400000",
        "1d2h3m4s5ms, 93784005", "0, 0", "0s, 0", "' 10s ', 10000"})
    void takesAWholeNumberAndAUnitOrASumOfThem(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), DurationSyntax.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "-5s", "1.5h", "10 s", "1H", "s10", "1h 30m", "+1s", "\u0661s", "1\u0660s"})
    void whatIsNotNumberAndUnitIsNotADuration(String text) {
        assertEquals("'" + text + "' is not a duration (write e.g. 500ms, 30s, 2m, 1h, 1d or 1h30m)", error(text));
    }

    @Test
    void aBareNumberOtherThanZeroNeedsAUnit() {
        assertEquals("'30' needs a unit (ms, s, m, h or d), e.g. 30s", error("30"));
        assertEquals("'1h30' needs a unit (ms, s, m, h or d), e.g. 30s", error("1h30"));
    }

    @Test
    void anUnknownUnitIsNamed() {
        assertEquals("'3w' has an unknown unit 'w' (use ms, s, m, h or d)", error("3w"));
        assertEquals("'10us' has an unknown unit 'us' (use ms, s, m, h or d)", error("10us"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999999999999s", "106751991167301d", "99999999999999d99999999999999d"})
    void overflowIsTooLarge(String text) {
        assertEquals("'" + text + "' is too large a duration", error(text));
    }

    @Test
    void oversizeInputIsRefusedWithoutHanging() {
        String huge = "1s".repeat(100_000);
        assertEquals(Duration.ofSeconds(100_000), DurationSyntax.parse(huge));
        String garbage = "x".repeat(1_000_000);
        assertThrows(IllegalArgumentException.class, () -> DurationSyntax.parse(garbage));
    }

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> DurationSyntax.parse(text)).getMessage();
    }
}
