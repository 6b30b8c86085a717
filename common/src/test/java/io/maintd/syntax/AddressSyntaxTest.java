package io.maintd.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one socket address grammar: maintd.yaml's listen, admin, agent and servers, maintd demo's --listen and --admin. */
class AddressSyntaxTest {

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
    void formattedAddressesParseBackWithIpv6InBrackets() {
        for (String text : List.of("127.0.0.1:8080", "[::1]:9090", "localhost:9001")) {
            InetSocketAddress address = AddressSyntax.parse(text, false);
            assertEquals(address, AddressSyntax.parse(AddressSyntax.format(address), false), text);
        }
        assertEquals("[0:0:0:0:0:0:0:1]:9090", AddressSyntax.format(AddressSyntax.parse("[::1]:9090", false)));
        assertEquals("localhost:9001", AddressSyntax.format(AddressSyntax.parse("localhost:9001", false)));
    }

    @Test
    void oversizeAndTruncatedInputIsRefused() {
        assertEquals("'[::1' is not [ipv6]:port", addressError("[::1"));
        assertEquals("'h:' has an invalid port '' (1-65535)", addressError("h:"));
        assertEquals("'h:99999999999999999999' has an invalid port '99999999999999999999' (1-65535)",
                addressError("h:99999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> AddressSyntax.parse("h:" + "9".repeat(1_000_000), false));
    }
}
