package io.maintd.admin;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields of an action's body, {@code application/x-www-form-urlencoded} as a browser's
 * {@code URLSearchParams} sends it (Netty's decoder, so no parser of our own). Strict: the
 * content type must say so, every key must be one the action knows and appear once, and no value
 * may hold a control character (they would end up in the audit log). The body is at most the
 * admin port's 8 KiB request limit.
 */
final class ActionForm {
    static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

    /** Why a body was refused; the message is fit to send back as the 400 or 415 answer. */
    static final class Refused extends Exception {
        final boolean unsupportedType;

        Refused(String message, boolean unsupportedType) {
            super(message, null, false, false);
            this.unsupportedType = unsupportedType;
        }
    }

    private ActionForm() {
    }

    /** The fields by name; absent keys are absent from the map. */
    static Map<String, String> read(FullHttpRequest request, Set<String> keys) throws Refused {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(CONTENT_TYPE)) {
            throw new Refused("send the fields as " + CONTENT_TYPE + " (got " + (type == null ? "no Content-Type" : type) + ")", true);
        }
        String body = request.content().toString(StandardCharsets.UTF_8);
        Map<String, List<String>> decoded;
        try {
            decoded = QueryStringDecoder.builder().hasPath(false).semicolonIsNormalChar(true)
                    .maxParams(keys.size() + 1).build(body).parameters();
        } catch (IllegalArgumentException e) {
            throw new Refused("the form is not URL-encoded: " + e.getMessage(), false);
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, List<String>> e : decoded.entrySet()) {
            String key = e.getKey();
            if (!keys.contains(key)) {
                throw new Refused("unknown field '" + printable(key) + "'; this action takes " + String.join(", ", keys.stream().sorted().toList()), false);
            }
            if (e.getValue().size() > 1) {
                throw new Refused("field '" + key + "' is given " + e.getValue().size() + " times", false);
            }
            String value = e.getValue().get(0);
            for (int i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    throw new Refused("field '" + key + "' holds a control character at position " + (i + 1), false);
                }
            }
            fields.put(key, value);
        }
        return fields;
    }

    /** A key echoed in an error, without what could garble the answer. */
    private static String printable(String key) {
        String shown = key.length() > 40 ? key.substring(0, 40) + "..." : key;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
