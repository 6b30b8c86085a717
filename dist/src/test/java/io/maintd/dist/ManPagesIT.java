package io.maintd.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The three man pages the package installs, as groff renders them: no warning, and the content they come from. */
@Timeout(120)
class ManPagesIT {
    private static Path man(String page) throws Exception {
        try (Stream<Path> staged = Files.list(Artifacts.TARGET)) {
            Path stage = staged.filter(p -> p.getFileName().toString().startsWith("maintd-") && Files.isDirectory(p))
                    .findFirst().orElseThrow(() -> new AssertionError("no staged tree in " + Artifacts.TARGET));
            return stage.resolve("man").resolve(page);
        }
    }

    private static String render(String page) throws Exception {
        Commands.require("groff", "groff");
        Path warnings = Files.createTempFile("groff-", ".err");
        try {
            Commands.Result text = Commands.run(new ProcessBuilder("groff", "-man", "-Tutf8", "-P-cbou", "-ww",
                    man(page).toString()).redirectError(warnings.toFile()), 60);
            assertEquals(0, text.code(), text.out());
            assertEquals("", Files.readString(warnings), page + " has groff warnings");
            return text.out();
        } finally {
            Files.deleteIfExists(warnings);
        }
    }

    @Test
    void maintd8ComesFromTheCommandSpec() throws Exception {
        String text = render("maintd.8");
        for (String expected : List.of("MAINTD(8)", "maintd reload [--config FILE] [--timeout DURATION]", "SIGNALS",
                "EXIT STATUS", "MAINTD_HEAP")) {
            assertTrue(text.contains(expected), () -> expected + " missing:\n" + text);
        }
    }

    @Test
    void maintdYaml5ComesFromConfigMd() throws Exception {
        String text = render("maintd.yaml.5");
        for (String expected : List.of("MAINTD.YAML(5)", "configuration reference", "log.access", "upstream-max-idle",
                "RULES", "Conditions (if:)")) {
            assertTrue(text.contains(expected), () -> expected + " missing:\n" + text);
        }
    }

    @Test
    void flagctl1ComesFromTheCommandSpec() throws Exception {
        String text = render("flagctl.1");
        assertTrue(text.contains("flagctl completion [SHELL]") && text.contains("--writable"), text);
    }
}
