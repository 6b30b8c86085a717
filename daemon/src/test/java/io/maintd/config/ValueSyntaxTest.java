package io.maintd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value syntaxes of maintd.yaml beyond the shared grammars: sizes, ${VAR}, problem positions. */
class ValueSyntaxTest {

    @Test
    void sizesArePowersOf1024() {
        assertEquals(8192, SizeSyntax.parse("8k"));
        assertEquals(8192, SizeSyntax.parse("8KiB"));
        assertEquals(1 << 20, SizeSyntax.parse("1m"));
        assertEquals(300, SizeSyntax.parse("300"));
        assertThrows(IllegalArgumentException.class, () -> SizeSyntax.parse("4g"));
        assertThrows(IllegalArgumentException.class, () -> SizeSyntax.parse("4096m"));
    }

    @Test
    void environmentReferencesExpandWithDefaultsAndEscapes() {
        Map<String, String> env = Map.of("A", "x", "EMPTY", "");
        assertEquals("x-x", EnvExpansion.expand("${A}-${A}", env));
        assertEquals("fallback", EnvExpansion.expand("${B:-fallback}", env));
        assertEquals("", EnvExpansion.expand("${EMPTY:-fallback}", env));
        assertEquals("${A} costs $5", EnvExpansion.expand("$${A} costs $5", env));
    }

    @Test
    void malformedEnvironmentReferencesAreRefused() {
        assertEquals("'${' without a closing '}' (write $$ for a literal $)",
                assertThrows(IllegalArgumentException.class, () -> EnvExpansion.expand("${A", Map.of())).getMessage());
        assertEquals("'${1A}' is not a valid environment variable reference",
                assertThrows(IllegalArgumentException.class, () -> EnvExpansion.expand("${1A}", Map.of())).getMessage());
    }

    @Test
    void problemsWithoutPositionLeaveItOut() {
        assertEquals("f.yaml: rules[0].if: unknown flag 'x'", ConfigProblem.of("rules[0].if", "unknown flag 'x'").describe("f.yaml"));
    }
}
