package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.AsciiString;

/**
 * Writes a parsed request head for the upstream hop from its original bytes, with only the edits
 * a proxy must make (RFC 9110 section 7.6), the same ones {@code ForwardedHeaders} makes on
 * Netty's header map today:
 * <ul>
 *   <li>the request line goes as it came, with the version {@code HTTP/1.1} (the upstream hop
 *       always is) and, when given, the target the rules resolved;</li>
 *   <li>hop-by-hop fields and the fields named in {@code Connection} are left out, except
 *       {@code Content-Length}, {@code Transfer-Encoding} and {@code Host}, which a
 *       {@code Connection} header must not be able to remove (the next hop's framing);</li>
 *   <li>{@code X-Forwarded-For} and {@code Via} are gathered and written last with the client's
 *       address and {@code 1.1 maintd} appended, then {@code X-Forwarded-Proto: http} unless the
 *       balancer in front already said;</li>
 *   <li>for a protocol upgrade, {@code Upgrade} stays and {@code Connection: upgrade} is written
 *       before them.</li>
 * </ul>
 * Every other field line is copied byte for byte, in its place.
 */
public final class ForwardedRequestHead {
    private static final AsciiString CONNECTION = AsciiString.cached("connection");
    private static final AsciiString UPGRADE = AsciiString.cached("upgrade");
    private static final AsciiString HOST = AsciiString.cached("host");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString VIA = AsciiString.cached("via");
    /** Hop-by-hop whatever Connection says (RFC 9110 section 7.6.1, and the proxy ones in use). */
    private static final AsciiString[] HOP_BY_HOP = {CONNECTION, AsciiString.cached("keep-alive"),
        AsciiString.cached("proxy-connection"), AsciiString.cached("proxy-authenticate"),
        AsciiString.cached("proxy-authorization"), AsciiString.cached("te"), AsciiString.cached("trailer")};
    /** Never dropped because Connection names them: they frame the message for the next hop. */
    private static final AsciiString[] FRAMING = {AsciiString.cached("content-length"),
        AsciiString.cached("transfer-encoding"), HOST};

    private ForwardedRequestHead() {
    }

    /**
     * @param target  the target to send instead of the original, or null to send the original bytes
     * @param host    the Host to send instead of the original field(s), or null to keep them
     * @param upgrade the request asks to switch protocols and is to be tunnelled after a 101
     */
    public static void write(HeadIndex head, CharSequence target, CharSequence host, String clientIp,
                             boolean upgrade, ByteBuf out) {
        head.copy(head.firstStart(), head.secondStart(), out);
        if (target == null) {
            head.copy(head.secondStart(), head.secondEnd(), out);
        } else {
            ByteBufUtil.writeAscii(out, target);
        }
        ByteBufUtil.writeAscii(out, " HTTP/1.1\r\n");
        if (host != null) {
            ByteBufUtil.writeAscii(out, "host: ");
            ByteBufUtil.writeAscii(out, host);
            ByteBufUtil.writeAscii(out, "\r\n");
        }
        int forwardedFor = -1;
        int via = -1;
        boolean proto = false;
        int connection = firstConnection(head);
        for (int field = 0; field < head.fieldCount(); field++) {
            if (head.nameIs(field, X_FORWARDED_FOR)) {
                forwardedFor = forwardedFor < 0 ? field : forwardedFor;
            } else if (head.nameIs(field, VIA)) {
                via = via < 0 ? field : via;
            } else if (!(host != null && head.nameIs(field, HOST)) && !dropped(head, field, upgrade, connection)) {
                proto |= head.nameIs(field, X_FORWARDED_PROTO);
                head.copy(head.nameStart(field), head.lineEnd(field), out);
            }
        }
        if (upgrade) {
            ByteBufUtil.writeAscii(out, "connection: upgrade\r\n");
        }
        ByteBufUtil.writeAscii(out, "x-forwarded-for: ");
        writeValues(head, X_FORWARDED_FOR, forwardedFor, out);
        ByteBufUtil.writeAscii(out, clientIp);
        if (!proto) {
            ByteBufUtil.writeAscii(out, "\r\nx-forwarded-proto: http");
        }
        ByteBufUtil.writeAscii(out, "\r\nvia: ");
        writeValues(head, VIA, via, out);
        ByteBufUtil.writeAscii(out, "1.1 maintd\r\n\r\n");
    }

    /** The values of every field named {@code name} from {@code first} on, each followed by ", ". */
    static void writeValues(HeadIndex head, AsciiString name, int first, ByteBuf out) {
        for (int field = first; field >= 0; field = head.find(name, field + 1)) {
            head.copy(head.valueStart(field), head.valueEnd(field), out);
            ByteBufUtil.writeAscii(out, ", ");
        }
    }

    /** The head's first Connection field, or -1: found once per head rather than once per field. */
    static int firstConnection(HeadIndex head) {
        return head.find(CONNECTION, 0);
    }

    /**
     * True for a field the next hop must not see: hop-by-hop, named in Connection, or Upgrade
     * unless {@code upgrade}. {@code connection} is {@link #firstConnection}.
     */
    static boolean dropped(HeadIndex head, int field, boolean upgrade, int connection) {
        if (head.nameIs(field, UPGRADE)) {
            return !upgrade;
        }
        for (AsciiString hop : HOP_BY_HOP) {
            if (head.nameIs(field, hop)) {
                return true;
            }
        }
        for (AsciiString framing : FRAMING) {
            if (head.nameIs(field, framing)) {
                return false;
            }
        }
        return namedInConnection(head, field, connection);
    }

    /** True when a Connection field, the first at {@code connection}, lists this field's name among its comma-separated tokens. */
    private static boolean namedInConnection(HeadIndex head, int field, int connection) {
        for (int at = connection; at >= 0; at = head.find(CONNECTION, at + 1)) {
            if (head.listsRegion(at, head.nameStart(field), head.nameEnd(field))) {
                return true;
            }
        }
        return false;
    }
}
