package io.maintd.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class CidrTest {

    private static boolean contains(String cidr, String address) throws UnknownHostException {
        return Cidr.parse(cidr).contains(InetAddress.getByName(address));
    }

    private static String error(String cidr) {
        return assertThrows(IllegalArgumentException.class, () -> Cidr.parse(cidr)).getMessage();
    }

    @Test
    void ipv4NetworkIncludesBothEndsAndNothingBeyond() throws Exception {
        assertTrue(contains("10.0.0.0/8", "10.0.0.0"));
        assertTrue(contains("10.0.0.0/8", "10.255.255.255"));
        assertFalse(contains("10.0.0.0/8", "11.0.0.0"));
        assertFalse(contains("10.0.0.0/8", "9.255.255.255"));
    }

    @Test
    void ipv4PrefixInsideAByteIsMaskedBitwise() throws Exception {
        assertTrue(contains("192.168.4.0/22", "192.168.4.1"));
        assertTrue(contains("192.168.4.0/22", "192.168.7.255"));
        assertFalse(contains("192.168.4.0/22", "192.168.8.0"));
        assertFalse(contains("192.168.4.0/22", "192.168.3.255"));
    }

    @Test
    void bareAddressIsANetworkOfOne() throws Exception {
        assertTrue(contains("203.0.113.7", "203.0.113.7"));
        assertFalse(contains("203.0.113.7", "203.0.113.8"));
        assertTrue(contains("2001:db8::1", "2001:db8::1"));
        assertFalse(contains("2001:db8::1", "2001:db8::2"));
    }

    @Test
    void zeroPrefixMatchesEveryAddressOfItsFamilyOnly() throws Exception {
        assertTrue(contains("0.0.0.0/0", "255.255.255.255"));
        assertFalse(contains("0.0.0.0/0", "::1"));
        assertTrue(contains("::/0", "2001:db8::1"));
        assertFalse(contains("::/0", "127.0.0.1"));
    }

    @Test
    void ipv6NetworkIncludesBothEndsAndNothingBeyond() throws Exception {
        assertTrue(contains("2001:db8:abcd:12::/64", "2001:db8:abcd:12::"));
        assertTrue(contains("2001:db8:abcd:12::/64", "2001:db8:abcd:12:ffff:ffff:ffff:ffff"));
        assertFalse(contains("2001:db8:abcd:12::/64", "2001:db8:abcd:13::"));
        assertTrue(contains("fc00::/7", "fc00::1"));
        assertTrue(contains("fc00::/7", "fdff::1"));
        assertFalse(contains("fc00::/7", "fe00::1"));
        assertTrue(contains("::1/128", "::1"));
    }

    @Test
    void ipv4MappedNetworkMatchesTheIpv4ClientsItMaps() throws Exception {
        assertTrue(contains("::ffff:10.0.0.0/104", "10.1.2.3"));
        assertFalse(contains("::ffff:10.0.0.0/104", "11.1.2.3"));
    }

    @Test
    void prefixLengthMustFitTheFamily() {
        assertEquals("'10.0.0.0/33' has an invalid prefix length (0-32)", error("10.0.0.0/33"));
        assertEquals("'::/129' has an invalid prefix length (0-128)", error("::/129"));
        assertEquals("'10.0.0.0/x' has an invalid prefix length (0-32)", error("10.0.0.0/x"));
        assertEquals("'::ffff:10.0.0.0/64' has an invalid prefix length (0-32, from /96 for an IPv4-mapped address)",
                error("::ffff:10.0.0.0/64"));
    }

    @Test
    void hostBitsAfterThePrefixAreRefusedWithTheNetworkMeant() {
        assertEquals("'10.1.2.3/8' has bits set after the /8 prefix; did you mean 10.0.0.0/8?", error("10.1.2.3/8"));
        assertEquals("'2001:db8::1/64' has bits set after the /64 prefix; did you mean 2001:db8:0:0:0:0:0:0/64?",
                error("2001:db8::1/64"));
    }

    @Test
    void namesAreRefusedRatherThanLookedUp() {
        assertEquals("'localhost/32' is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, fd00::/8)", error("localhost/32"));
        assertEquals("'300.0.0.0/8' is not a valid IP address", error("300.0.0.0/8"));
    }
}
