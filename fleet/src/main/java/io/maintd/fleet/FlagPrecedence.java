package io.maintd.fleet;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which key wins for a host: for each flag, the most specific scope that has a live value,
 * host before service before all. A value whose {@code expires_at} has passed no longer applies
 * (its lease is about to delete the key), so the next scope down shows through at once rather
 * than when etcd gets round to it.
 */
public final class FlagPrecedence {
    private FlagPrecedence() {
    }

    /**
     * @param settings the decoded keys one host watches (its host, its service, all); keys for
     *                 other hosts or services must not be passed
     * @return flag name to the setting that applies, sorted by name
     */
    public static Map<String, FlagSetting> effective(Collection<FlagSetting> settings, long nowMillis) {
        Map<String, FlagSetting> winners = new TreeMap<>();
        for (FlagSetting s : settings) {
            if (s.value().expiredAt(nowMillis)) {
                continue;
            }
            FlagSetting current = winners.get(s.flag());
            if (current == null || s.scope().level().compareTo(current.scope().level()) > 0) {
                winners.put(s.flag(), s);
            }
        }
        return winners;
    }
}
