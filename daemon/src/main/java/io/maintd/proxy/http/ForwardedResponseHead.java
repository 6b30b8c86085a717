package io.maintd.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.AsciiString;

/**
 * Writes a parsed response head for the client hop from its original bytes, with only the edits
 * a proxy must make, the ones the proxy made on Netty's header map before the head index:
 * <ul>
 *   <li>the status line says {@code HTTP/1.1} (the proxy's own version) with the code and reason
 *       as they came;</li>
 *   <li>hop-by-hop fields and those named in {@code Connection} are left out, except the framing
 *       ones ({@link ForwardedRequestHead#dropped}, the same rule both ways);</li>
 *   <li>{@code Via} is gathered and written with {@code 1.1 maintd} appended, every value kept
 *       in order;</li>
 *   <li>the body's framing is changed when the client cannot take it as it came
 *       ({@link BodyEdit});</li>
 *   <li>{@code Connection} says what the proxy decided for the client connection, and one extra
 *       field (the maintenance announcement) replaces any of its name.</li>
 * </ul>
 * Every other field line is copied byte for byte, in its place.
 */
public final class ForwardedResponseHead {
    /** How the body's framing changes on its way to the client. */
    public enum BodyEdit {
        /** The body goes as it came. */
        NONE,
        /** A body delimited by the close goes chunked to an HTTP/1.1 client, whose connection can then stay open. */
        CHUNK,
        /** A chunked body goes without its framing to an HTTP/1.0 client, delimited by the close. */
        UNCHUNK
    }

    private static final AsciiString VIA = AsciiString.cached("via");
    private static final AsciiString TRANSFER_ENCODING = AsciiString.cached("transfer-encoding");

    private ForwardedResponseHead() {
    }

    /**
     * @param upgrade    a 101 that switches the connection: Upgrade stays and {@code Connection: upgrade} is written
     * @param connection the client connection's {@code Connection} value, or null for none
     * @param extraName  a field to write last, replacing any of that name, or null
     */
    public static void write(HeadIndex head, boolean upgrade, BodyEdit body, CharSequence connection,
                             CharSequence extraName, CharSequence extraValue, ByteBuf out) {
        ByteBufUtil.writeAscii(out, "HTTP/1.1 ");
        head.copy(head.secondStart(), head.secondEnd(), out);
        out.writeByte(' ');
        head.copy(head.thirdStart(), head.thirdEnd(), out);
        ByteBufUtil.writeAscii(out, "\r\n");
        AsciiString extra = extraName == null ? null : AsciiString.of(extraName).toLowerCase();
        int via = -1;
        int connectionField = ForwardedRequestHead.firstConnection(head);
        for (int field = 0; field < head.fieldCount(); field++) {
            if (head.nameIs(field, VIA)) {
                via = via < 0 ? field : via;
            } else if (!ForwardedRequestHead.dropped(head, field, upgrade, connectionField)
                    && !(body != BodyEdit.NONE && head.nameIs(field, TRANSFER_ENCODING))
                    && !(extra != null && head.nameIs(field, extra))) {
                head.copy(head.nameStart(field), head.lineEnd(field), out);
            }
        }
        if (upgrade) {
            ByteBufUtil.writeAscii(out, "connection: upgrade\r\n");
        }
        ByteBufUtil.writeAscii(out, "via: ");
        ForwardedRequestHead.writeValues(head, VIA, via, out);
        ByteBufUtil.writeAscii(out, "1.1 maintd\r\n");
        if (body == BodyEdit.CHUNK) {
            ByteBufUtil.writeAscii(out, "transfer-encoding: chunked\r\n");
        }
        if (connection != null) {
            ByteBufUtil.writeAscii(out, "connection: ");
            ByteBufUtil.writeAscii(out, connection);
            ByteBufUtil.writeAscii(out, "\r\n");
        }
        if (extra != null) {
            ByteBufUtil.writeAscii(out, extraName);
            ByteBufUtil.writeAscii(out, ": ");
            ByteBufUtil.writeAscii(out, extraValue);
            ByteBufUtil.writeAscii(out, "\r\n");
        }
        ByteBufUtil.writeAscii(out, "\r\n");
    }
}
