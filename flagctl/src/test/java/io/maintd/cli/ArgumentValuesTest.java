package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** Argument text to values: the errors quote the text and say what was expected. */
class ArgumentValuesTest {
    @Test
    void integersAreSigned64Bit() {
        assertEquals(Long.MIN_VALUE, ArgumentValues.integer("value", "-9223372036854775808"));
        assertEquals(Long.MAX_VALUE, ArgumentValues.integer("value", "9223372036854775807"));
        assertEquals(5, ArgumentValues.integer("value", "+5"));
    }

    @Test
    void wordIsNotAnInteger() {
        assertUsage("value \"abc\" is not an integer", () -> ArgumentValues.integer("value", "abc"));
    }

    @Test
    void fractionIsNotAnInteger() {
        assertUsage("value \"1.5\" is not an integer", () -> ArgumentValues.integer("value", "1.5"));
    }

    @Test
    void overflowIsOutOfRange() {
        assertUsage("value \"9223372036854775808\" is out of range: flags are 64-bit",
                () -> ArgumentValues.integer("value", "9223372036854775808"));
    }

    @Test
    void durationsAreTheConfigsGrammarInMilliseconds() {
        assertEquals(5_400_000, ArgumentValues.durationMillis("--for", "1h30m"));
        assertEquals(86_400_000, ArgumentValues.durationMillis("--for", "1d"));
    }

    @Test
    void aDurationThatIsNotOneIsAUsageErrorNamingTheOption() {
        assertUsage("--for '10' needs a unit", () -> ArgumentValues.durationMillis("--for", "10"));
        assertUsage("--for '1.5h' is not a duration", () -> ArgumentValues.durationMillis("--for", "1.5h"));
        assertUsage("--for '99999999999999d' is too long", () -> ArgumentValues.durationMillis("--for", "99999999999999d"));
    }

    @Test
    void zeroDurationIsRefused() {
        assertUsage("--for '0s' must be longer than zero", () -> ArgumentValues.durationMillis("--for", "0s"));
        assertUsage("--for '0' must be longer than zero", () -> ArgumentValues.durationMillis("--for", "0"));
    }

    @Test
    void octalModeBecomesPermissions() {
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), FileMode.parse("--mode", "0660"));
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), FileMode.parse("--mode", "640"));
    }

    @Test
    void worldWritableModeIsRefused() {
        assertUsage("--mode 0666 is world-writable", () -> FileMode.parse("--mode", "0666"));
    }

    @Test
    void nonOctalModeIsRefused() {
        assertUsage("--mode \"0980\" is not an octal permission mode", () -> FileMode.parse("--mode", "0980"));
    }

    @Test
    void modeIsFormattedBackInOctal() {
        assertEquals("0640", FileMode.format(PosixFilePermissions.fromString("rw-r-----")));
    }

    private static void assertUsage(String message, Runnable parse) {
        CliFailure f = assertThrows(CliFailure.class, parse::run);
        assertEquals(ExitCode.USAGE, f.exitCode);
        assertTrue(f.getMessage().startsWith(message), f.getMessage());
    }
}
