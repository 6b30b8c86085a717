package io.maintd.command;

import java.util.Collection;

/** Picks the known name a typo most likely meant, by edit distance; for "did you mean". */
public final class ClosestName {
    private ClosestName() {
    }

    /** The closest candidate, or null when none is close enough to be a plausible typo. */
    public static String to(String typed, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(typed, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        // Two edits, or a third of the word for long names; more than that is a different word.
        return bestDistance <= Math.max(2, typed.length() / 3) ? best : null;
    }

    /** Levenshtein distance, case-insensitive: "Maint" is one edit from nothing, it is "maint". */
    public static int distance(String a, String b) {
        String x = a.toLowerCase();
        String y = b.toLowerCase();
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitute = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[y.length()];
    }
}
