package io.maintd.flagfile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mode rule every reader of a flag file shares: maint wins over drain, and only values above 0 count. */
class ModeTest {
    @ParameterizedTest(name = "maint={0} drain={1} is {2}")
    @CsvSource({
            "0, 0, ready",
            "0, 1, drain",
            "1, 0, maint",
            "1, 1, maint",
            "2, 0, maint",
            "-1, 0, ready",
            "0, -5, ready",
            "-1, 3, drain",
    })
    void maintBeatsDrainAndOnlyPositiveValuesCount(long maint, long drain, String word) {
        assertEquals(word, Mode.of(maint, drain).word());
    }
}
