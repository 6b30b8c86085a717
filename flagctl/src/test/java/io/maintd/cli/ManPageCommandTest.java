package io.maintd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The generated manual page, rendered by a real groff. */
@Timeout(60)
class ManPageCommandTest {
    @TempDir
    Path dir;

    @Test
    void sourceHasASectionPerPartAndAnEntryPerCommand() {
        CliRun run = CliRun.run("manpage");
        assertEquals(0, run.code, run::toString);
        for (String section : new String[] {"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "GLOBAL OPTIONS", "ENVIRONMENT",
            "EXIT STATUS", "FILES"}) {
            assertTrue(run.out.contains("\n.SH " + section + "\n"), section);
        }
        for (Command c : CommandSet.standard().all()) {
            assertTrue(run.out.contains("\n.B flagctl " + c.spec().name), c.spec().name);
        }
    }

    @Test
    void rendersWithoutGroffWarningsAndDocumentsEveryCommandAndExitCode() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is not installed");
        CliRun run = CliRun.run("manpage");
        assertEquals(0, run.code, run::toString);
        Path page = Files.writeString(dir.resolve("flagctl.1"), run.out);
        Process groff = new ProcessBuilder("groff", "-man", "-Tascii", "-P-cbou", "-ww", page.toString())
                .redirectError(dir.resolve("warnings").toFile()).start();
        String text = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(groff.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, groff.exitValue());
        assertEquals("", Files.readString(dir.resolve("warnings")));
        for (Command c : CommandSet.standard().all()) {
            assertTrue(text.contains("flagctl " + c.spec().name), () -> c.spec().name + " missing:\n" + text);
        }
        // groff justifies lines by widening spaces ("wait  noticed/drained:"): compare words, not spacing.
        String words = text.replaceAll("\\s+", " ");
        for (ExitCode c : ExitCode.values()) {
            assertTrue(words.contains(c.meaning.substring(0, 20)), () -> c + " missing:\n" + text);
        }
    }
}
