package io.maintd.rules;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network, parsed once into its address bytes and prefix length, so a
 * match is a few byte compares. A bare address is a network of one (/32 or /128).
 */
final class Cidr {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Where an IPv4 address sits inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
    private static final int MAPPED_PREFIX = 96;

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean v6Literal = IPV6.matcher(address).matches();
        // Only literals: InetAddress.getByName on a name would do a DNS lookup.
        if (!IPV4.matcher(address).matches() && !v6Literal) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, fd00::/8)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IP address");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            prefix = digits.matches("[0-9]{1,3}") ? Integer.parseInt(digits) : -1;
            if (v6Literal && bytes.length == 4) {
                // Java reads ::ffff:a.b.c.d as the IPv4 address it maps; keep the prefix meaning the same.
                prefix = prefix < MAPPED_PREFIX ? -1 : prefix - MAPPED_PREFIX;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length (0-" + max
                        + (v6Literal && bytes.length == 4 ? ", from /96 for an IPv4-mapped address" : "") + ")");
            }
        }
        for (int bit = prefix; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + text + "' has bits set after the /" + prefix
                        + " prefix; did you mean " + networkOf(bytes, prefix) + "/" + prefix + "?");
            }
        }
        return new Cidr(bytes, prefix, text);
    }

    boolean contains(InetAddress client) {
        if ((client instanceof Inet4Address) != (network.length == 4)) {
            return false;
        }
        byte[] address = client.getAddress();
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF00 >>> rest) & 0xFF;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public String toString() {
        return text;
    }

    private static String networkOf(byte[] bytes, int prefix) {
        byte[] masked = bytes.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(masked).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
        }
    }
}
