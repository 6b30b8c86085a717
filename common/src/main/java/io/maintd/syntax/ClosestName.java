package io.maintd.syntax;

import java.util.Collection;
import java.util.Locale;

/**
 * The known name a typo most likely meant, for "did you mean": flagctl's and maintd's commands,
 * flag names, maintd.yaml's keys, backends and actions. One distance and one threshold
 * everywhere, so {@code flagctl lsit} and {@code lsiten:} in a config are judged alike.
 */
public final class ClosestName {
    private ClosestName() {
    }

    /**
     * The closest candidate, or null when none is close enough to be a likely typo (an unrelated
     * suggestion is worse than none): one edit for names up to five letters, one per three letters
     * beyond, at most three. Case is ignored; the first of equally close candidates wins.
     */
    public static String to(String typed, Collection<String> candidates) {
        int allowed = Math.max(1, Math.min(3, typed.length() / 3));
        String best = null;
        int bestDistance = allowed + 1;
        for (String candidate : candidates) {
            // Lengths further apart than the allowance are further apart in edits too; skipping them
            // keeps a hostile multi-megabyte name from costing a matrix of its length.
            if (Math.abs(typed.length() - candidate.length()) > allowed) {
                continue;
            }
            int d = distance(typed, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** {@code did you mean 'NAME'?} for the closest candidate, or null: the hint maintd.yaml's problems end with. */
    public static String hint(String typed, Collection<String> candidates) {
        String closest = to(typed, candidates);
        return closest == null ? null : "did you mean '" + closest + "'?";
    }

    /**
     * Optimal string alignment distance, case-insensitive: insertions, deletions, substitutions,
     * and a swap of two neighbouring letters ({@code lsit} for {@code list}) each count as one edit.
     */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[x.length() + 1][y.length() + 1];
        for (int i = 0; i <= x.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= y.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && x.charAt(i - 1) == y.charAt(j - 2) && x.charAt(i - 2) == y.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[x.length()][y.length()];
    }
}
