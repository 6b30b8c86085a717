package io.maintd.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A program with a default command, as maintd's: the parts flagctl's own tests do not reach. */
class ProgramTest {
    private static final Option CONFIG = Option.valued("config", 'c', "FILE", "the config");
    private static final Option TIMEOUT = Option.valued("timeout", (char) 0, "DURATION", "how long");
    private static final CommandSpec SERVE = CommandSpec.command("serve", "Serve.").option(CONFIG);
    private static final CommandSpec RELOAD = CommandSpec.command("reload", "Reload.").option(CONFIG).option(TIMEOUT);
    private static final Program PROGRAM = Program.named("daemon", 8, "a daemon")
            .defaultCommand(SERVE).command(RELOAD).exitCode(0, "fine").exitCode(2, "usage");

    @Test
    void aLineStartingWithAnOptionRunsTheDefaultCommand() {
        ParsedLine line = PROGRAM.parse(List.of("--config", "reload"));
        assertEquals(SERVE, line.command);
        assertEquals("reload", line.arguments.value(CONFIG), "a value is never taken for a command name");
    }

    @Test
    void aFirstWordNamesTheCommand() {
        ParsedLine line = PROGRAM.parse(List.of("reload", "-c", "f", "--timeout=5s"));
        assertEquals(RELOAD, line.command);
        assertEquals("f", line.arguments.value(CONFIG));
        assertEquals("5s", line.arguments.value(TIMEOUT));
    }

    @Test
    void aPassingOnCommandKeepsEverythingAfterItsFirstPositionalForTheCommandItNames() {
        CommandSpec group = CommandSpec.command("group", "Commands of their own.").option(TIMEOUT)
                .parameter(Parameter.required("COMMAND", "one of them")).parameter(Parameter.repeated("ARGS", "its arguments"))
                .passingOn();
        Program program = Program.named("tool", 1, "a tool").command(group);
        ParsedLine line = program.parse(List.of("group", "--timeout", "5s", "set", "--all", "-x", "--", "hook", "--timeout"));
        assertEquals("5s", line.arguments.value(TIMEOUT));
        assertEquals(List.of("set", "--all", "-x", "--", "hook", "--timeout"), line.arguments.positionalsFrom(0));
        assertEquals("unknown option --all for 'tool group' (see tool group --help)",
                assertThrows(UsageException.class, () -> program.parse(List.of("group", "--all", "set"))).getMessage());
    }

    @Test
    void helpAndVersionNeedNoCommand() {
        assertTrue(PROGRAM.parse(List.of("--help")).wantsHelp());
        ParsedLine version = PROGRAM.parse(List.of("--version"));
        assertTrue(version.wantsVersion());
        assertNull(version.command);
        assertTrue(PROGRAM.versionLine().matches("daemon \\S+ \\(commit \\S+\\)"), PROGRAM.versionLine());
    }

    @Test
    void anUnknownCommandSuggestsTheClosestAndAnUnknownOptionNamesTheCommand() {
        assertEquals("unknown command \"relaod\"; did you mean \"reload\"? (see daemon --help)",
                assertThrows(UsageException.class, () -> PROGRAM.parse(List.of("relaod"))).getMessage());
        assertEquals("unknown option --timeout for 'daemon serve' (see daemon serve --help)",
                assertThrows(UsageException.class, () -> PROGRAM.parse(List.of("--timeout", "1s"))).getMessage());
    }

    @Test
    void helpShowsTheDefaultCommandsUsageFirst() {
        String help = HelpText.overview(PROGRAM);
        assertTrue(help.startsWith("usage: daemon [serve] [--config FILE]\n       daemon COMMAND [ARGS...]\n"), help);
        assertTrue(help.contains("\nexit codes:\n  0  fine\n  2  usage\n"), help);
    }

    @Test
    void everyShellScriptOffersTheDefaultCommandsOptionsFirst() {
        for (String shell : ShellCompletion.SHELLS) {
            assertTrue(ShellCompletion.script(PROGRAM, shell).contains("--config"), shell);
        }
        assertThrows(UsageException.class, () -> ShellCompletion.script(PROGRAM, "tcsh"));
    }
}
