package io.maintd.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # An IPv4 network includes both ends and nothing beyond.
            10.0.0.0/8            | 10.0.0.0                              | true
            10.0.0.0/8            | 10.255.255.255                        | true
            10.0.0.0/8            | 11.0.0.0                              | false
            10.0.0.0/8            | 9.255.255.255                         | false
            # A prefix inside a byte is masked bitwise.
            192.168.4.0/22        | 192.168.4.1                           | true
            192.168.4.0/22        | 192.168.7.255                         | true
            192.168.4.0/22        | 192.168.8.0                           | false
            192.168.4.0/22        | 192.168.3.255                         | false
            # A bare address is a network of one.
            203.0.113.7           | 203.0.113.7                           | true
            203.0.113.7           | 203.0.113.8                           | false
            2001:db8::1           | 2001:db8::1                           | true
            2001:db8::1           | 2001:db8::2                           | false
            # A zero prefix matches every address of its family only.
            0.0.0.0/0             | 255.255.255.255                       | true
            0.0.0.0/0             | ::1                                   | false
            ::/0                  | 2001:db8::1                           | true
            ::/0                  | 127.0.0.1                             | false
            # An IPv6 network includes both ends and nothing beyond.
            2001:db8:abcd:12::/64 | 2001:db8:abcd:12::                    | true
            2001:db8:abcd:12::/64 | 2001:db8:abcd:12:ffff:ffff:ffff:ffff  | true
            2001:db8:abcd:12::/64 | 2001:db8:abcd:13::                    | false
            fc00::/7              | fc00::1                               | true
            fc00::/7              | fdff::1                               | true
            fc00::/7              | fe00::1                               | false
            ::1/128               | ::1                                   | true
            # An IPv4-mapped network matches the IPv4 clients it maps.
            ::ffff:10.0.0.0/104   | 10.1.2.3                              | true
            ::ffff:10.0.0.0/104   | 11.1.2.3                              | false
            """)
    void containsExactlyTheAddressesOfItsNetwork(String network, String address, boolean inside)
            throws UnknownHostException {
        assertEquals(inside, Cidr.parse(network).contains(InetAddress.getByName(address)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # The prefix length must fit the family.
            10.0.0.0/33        | '10.0.0.0/33' has an invalid prefix length (0-32)
            ::/129             | '::/129' has an invalid prefix length (0-128)
            10.0.0.0/x         | '10.0.0.0/x' has an invalid prefix length (0-32)
            ::ffff:10.0.0.0/64 | '::ffff:10.0.0.0/64' has an invalid prefix length (0-32, from /96 for an IPv4-mapped address)
            # Host bits after the prefix are refused with the network meant.
            10.1.2.3/8         | '10.1.2.3/8' has bits set after the /8 prefix; did you mean 10.0.0.0/8?
            2001:db8::1/64     | '2001:db8::1/64' has bits set after the /64 prefix; did you mean 2001:db8:0:0:0:0:0:0/64?
            # Names are refused rather than looked up.
            localhost/32       | 'localhost/32' is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, fd00::/8)
            300.0.0.0/8        | '300.0.0.0/8' is not a valid IP address
            """)
    void malformedNetworksAreRefusedSayingWhy(String network, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Cidr.parse(network)).getMessage());
    }
}
