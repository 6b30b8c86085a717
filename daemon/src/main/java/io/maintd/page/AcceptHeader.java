package io.maintd.page;

/**
 * Reads an {@code Accept} header far enough to choose between the HTML and the JSON body of a
 * page. A media range's weight is its {@code q} (default 1); a type is weighed by the most
 * specific range that matches it, as RFC 9110 section 12.5.1 says. JSON wins when its weight is
 * higher, or equal but named more specifically (so {@code application/json, *}{@code /*} gets
 * JSON while a bare {@code *}{@code /*}, as curl sends, gets HTML).
 */
public final class AcceptHeader {
    private AcceptHeader() {
    }

    /** True when the client would rather have {@code application/json} than {@code text/html}. */
    public static boolean prefersJson(CharSequence accept) {
        if (accept == null || accept.length() == 0) {
            return false;
        }
        Weight json = Weight.NONE;
        Weight html = Weight.NONE;
        String header = accept.toString();
        int start = 0;
        while (start <= header.length()) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = header.length();
            }
            MediaRange range = MediaRange.parse(header, start, end);
            if (range != null) {
                json = json.moreSpecific(range.weigh("application", "json"));
                html = html.moreSpecific(range.weigh("text", "html"));
            }
            start = end + 1;
        }
        if (json.q != html.q) {
            return json.q > html.q;
        }
        return json.q > 0 && json.specificity > html.specificity;
    }

    /** How a media type is weighed: the q of the most specific matching range. */
    private record Weight(int specificity, double q) {
        static final Weight NONE = new Weight(-1, 0);

        Weight moreSpecific(Weight other) {
            return other.specificity > specificity ? other : this;
        }
    }

    private record MediaRange(String type, String subtype, double q) {
        static MediaRange parse(String header, int start, int end) {
            int semicolon = header.indexOf(';', start);
            int typeEnd = semicolon < 0 || semicolon > end ? end : semicolon;
            String mediaType = header.substring(start, typeEnd).trim();
            int slash = mediaType.indexOf('/');
            if (slash <= 0 || slash == mediaType.length() - 1) {
                return null;
            }
            double q = 1;
            int param = typeEnd;
            while (param < end) {
                int next = header.indexOf(';', param + 1);
                if (next < 0 || next > end) {
                    next = end;
                }
                String p = header.substring(param + 1, next).trim();
                if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                    q = parseQ(p.substring(2));
                }
                param = next;
            }
            return new MediaRange(mediaType.substring(0, slash).trim(), mediaType.substring(slash + 1).trim(), q);
        }

        private static double parseQ(String value) {
            try {
                double q = Double.parseDouble(value.trim());
                return q < 0 || q > 1 || Double.isNaN(q) ? 0 : q;
            } catch (NumberFormatException e) {
                // A malformed weight must not make a range preferred; treat it as "not acceptable".
                return 0;
            }
        }

        Weight weigh(String wantedType, String wantedSubtype) {
            if (type.equals("*") && subtype.equals("*")) {
                return new Weight(0, q);
            }
            if (!type.equalsIgnoreCase(wantedType)) {
                return Weight.NONE;
            }
            if (subtype.equals("*")) {
                return new Weight(1, q);
            }
            return subtype.equalsIgnoreCase(wantedSubtype) ? new Weight(2, q) : Weight.NONE;
        }
    }
}
