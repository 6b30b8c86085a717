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

    /**
     * {@link InetAddress#getAddress()} copies the address into a new array on every call, and
     * escape analysis does not remove the copy (measured: 24 B per decision). Inet4Address's
     * hash code has been the address itself since JDK 1.0, but the Javadoc does not promise
     * it, so it is used only when this JVM is checked to behave that way.
     */
    private static final boolean IPV4_HASH_IS_ADDRESS = ipv4HashIsAddress();

    private final byte[] network;
    private final int prefixLength;
    private final String text;
    /** For IPv4: the network and the mask as ints, compared in one step. */
    private final int network4;
    private final int mask4;

    private Cidr(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
        this.mask4 = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        this.network4 = network.length == 4 ? toInt(network) & mask4 : 0;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean v6Literal = IPV6.matcher(address).matches();
        boolean v4Literal = IPV4.matcher(address).matches();
        // Only literals reach InetAddress.getByName: for anything else it would do a DNS lookup
        // (it reads text with ':' as IPv6 only, and four dotted octets up to 255 as IPv4 only).
        if (!v4Literal && !v6Literal) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 network (e.g. 10.0.0.0/8, fd00::/8)");
        }
        if (v4Literal) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not a valid IP address");
                }
            }
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
        boolean v4 = client instanceof Inet4Address;
        if (v4 != (network.length == 4)) {
            return false;
        }
        if (v4) {
            int address = IPV4_HASH_IS_ADDRESS ? client.hashCode() : toInt(client.getAddress());
            return (address & mask4) == network4;
        }
        // IPv6: no allocation-free way to read the address; this copies 16 bytes.
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

    private static int toInt(byte[] b) {
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static boolean ipv4HashIsAddress() {
        try {
            for (byte[] probe : new byte[][] {{10, 1, 2, 3}, {(byte) 255, (byte) 128, 0, 1}}) {
                if (InetAddress.getByAddress(probe).hashCode() != toInt(probe)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
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
