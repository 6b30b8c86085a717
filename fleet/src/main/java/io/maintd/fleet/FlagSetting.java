package io.maintd.fleet;

/**
 * One flag key as read from etcd, decoded: where it applies, what it says, and the revision that
 * last wrote it (which the daemon's audit line carries).
 */
public record FlagSetting(String etcdKey, FlagKey key, FleetValue value, long modRevision) {
    public String flag() {
        return key.flag();
    }

    public Scope scope() {
        return key.scope();
    }
}
