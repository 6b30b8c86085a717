package io.maintd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.maintd.syntax.AddressSyntax;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value syntaxes shared by every key: sizes, addresses, ${VAR}. */
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
    void addressesTakeIpv4Ipv6AndNames() {
        assertEquals(new InetSocketAddress("10.0.0.1", 80), AddressSyntax.parse("10.0.0.1:80", false));
        assertEquals(new InetSocketAddress("::1", 8080), AddressSyntax.parse("[::1]:8080", false));
        assertEquals(new InetSocketAddress("localhost", 1), AddressSyntax.parse("localhost:1", false));
        assertEquals(0, AddressSyntax.parse("127.0.0.1:0", true).getPort());
    }

    @Test
    void addressProblemsSayWhatToWrite() {
        assertEquals("'8080' has no port (write host:port, e.g. 127.0.0.1:8080)", addressError("8080"));
        assertEquals("':8080' has no host (use 0.0.0.0:PORT for every interface)", addressError(":8080"));
        assertEquals("'[127.0.0.1]:80': brackets are only for IPv6 addresses", addressError("[127.0.0.1]:80"));
        assertEquals("'h:70000' has an invalid port '70000' (1-65535)", addressError("h:70000"));
        assertEquals("'[::1]8080' is not [ipv6]:port", addressError("[::1]8080"));
    }

    private static String addressError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> AddressSyntax.parse(text, false)).getMessage();
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

    @Test
    void formattedAddressesParseBackWithIpv6InBrackets() {
        for (String text : List.of("127.0.0.1:8080", "[::1]:9090", "localhost:9001")) {
            InetSocketAddress address = AddressSyntax.parse(text, false);
            assertEquals(address, AddressSyntax.parse(AddressSyntax.format(address), false), text);
        }
        assertEquals("[0:0:0:0:0:0:0:1]:9090", AddressSyntax.format(AddressSyntax.parse("[::1]:9090", false)));
        assertEquals("localhost:9001", AddressSyntax.format(AddressSyntax.parse("localhost:9001", false)));
    }
}
