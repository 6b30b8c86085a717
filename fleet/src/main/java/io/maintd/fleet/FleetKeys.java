package io.maintd.fleet;

import io.maintd.flagfile.FlagFileLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fleet's key layout in etcd: the one place that builds and takes apart keys, for the daemon
 * and flagctl alike. Everything lives under a prefix (default {@value #DEFAULT_PREFIX}):
 *
 * <pre>
 * PREFIX/flags/all/FLAG                  a flag for every host
 * PREFIX/flags/service/SERVICE/FLAG      a flag for one service (pool)
 * PREFIX/flags/host/HOST/FLAG            a flag for one host
 * PREFIX/hosts/SERVICE/HOST              the status a daemon publishes, under its lease
 * PREFIX/members/SERVICE/HOST            that the host ever reported (no lease: a vanished status means lost)
 * PREFIX/budget/SERVICE                  bumped by every guarded drain; its mod revision is the drain lock
 * PREFIX/log/MILLIS-ID                   one entry per change flagctl made, for {@code fleet log}
 * </pre>
 *
 * FLAG follows the flag file's grammar ({@code [a-z0-9][a-z0-9._-]*}, up to 63); SERVICE and HOST
 * are {@code [A-Za-z0-9][A-Za-z0-9._-]*}, up to {@value #MAX_NAME_LENGTH} characters (a DNS name).
 */
public final class FleetKeys {
    public static final String DEFAULT_PREFIX = "/maintd";
    public static final int MAX_NAME_LENGTH = 253;
    static final int MAX_PREFIX_LENGTH = 128;

    private final String prefix;

    public FleetKeys(String prefix) {
        String problem = prefixProblem(prefix);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /**
     * Why {@code prefix} cannot be a key prefix, or null: it starts with '/', does not end with
     * one, has no empty segment, and uses the name characters plus '/'.
     */
    public static String prefixProblem(String prefix) {
        if (prefix.length() < 2 || prefix.charAt(0) != '/' || prefix.endsWith("/")) {
            return "prefix \"" + Printable.of(prefix, MAX_PREFIX_LENGTH) + "\" must start with '/' and not end with one, e.g. " + DEFAULT_PREFIX;
        }
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            return "prefix is " + prefix.length() + " characters; the limit is " + MAX_PREFIX_LENGTH;
        }
        for (String segment : prefix.substring(1).split("/", -1)) {
            String problem = nameProblem("prefix segment", segment);
            if (problem != null) {
                return "prefix \"" + Printable.of(prefix, MAX_PREFIX_LENGTH) + "\": " + problem;
            }
        }
        return null;
    }

    /** Why {@code name} cannot be a service or host name ({@code what} says which), or null. */
    public static String nameProblem(String what, String name) {
        if (name.isEmpty()) {
            return what + " name is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return what + " name is " + name.length() + " characters; the limit is " + MAX_NAME_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && !(i > 0 && (c == '.' || c == '_' || c == '-'))) {
                return what + " name \"" + Printable.of(name, 80) + "\" has '" + (c >= 0x20 && c < 0x7f ? c : '?')
                        + "' at position " + (i + 1) + "; names are [A-Za-z0-9][A-Za-z0-9._-]*";
            }
        }
        return null;
    }

    public String flagsRoot() {
        return prefix + "/flags/";
    }

    /** The prefix under which every flag of {@code scope} lives, ending in '/'. */
    public String flagPrefix(Scope scope) {
        return scope.level() == Scope.Level.ALL ? flagsRoot() + "all/" : flagsRoot() + scope.level().word() + "/" + scope.name() + "/";
    }

    public String flagKey(Scope scope, String flag) {
        String problem = FlagFileLayout.nameProblem(flag);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return flagPrefix(scope) + flag;
    }

    /**
     * Takes a key under {@link #flagsRoot()} apart; throws IllegalArgumentException naming the key
     * when it does not follow the layout (the daemon logs and skips such keys).
     */
    public FlagKey parseFlagKey(String key) {
        if (!key.startsWith(flagsRoot())) {
            throw malformed(key, "is not under " + flagsRoot());
        }
        String[] parts = key.substring(flagsRoot().length()).split("/", -1);
        Scope scope;
        String flag;
        try {
            if (parts.length == 2 && parts[0].equals("all")) {
                scope = Scope.all();
                flag = parts[1];
            } else if (parts.length == 3 && parts[0].equals("service")) {
                scope = Scope.service(parts[1]);
                flag = parts[2];
            } else if (parts.length == 3 && parts[0].equals("host")) {
                scope = Scope.host(parts[1]);
                flag = parts[2];
            } else {
                throw malformed(key, "is not flags/all/FLAG, flags/service/SERVICE/FLAG or flags/host/HOST/FLAG");
            }
        } catch (IllegalArgumentException e) {
            throw malformed(key, e.getMessage());
        }
        String problem = FlagFileLayout.nameProblem(flag);
        if (problem != null) {
            throw malformed(key, problem);
        }
        return new FlagKey(scope, flag);
    }

    public String statusRoot() {
        return prefix + "/hosts/";
    }

    public String statusPrefix(String service) {
        return statusRoot() + checked("service", service) + "/";
    }

    public String statusKey(String service, String host) {
        return statusPrefix(service) + checked("host", host);
    }

    public String membersRoot() {
        return prefix + "/members/";
    }

    public String memberPrefix(String service) {
        return membersRoot() + checked("service", service) + "/";
    }

    public String memberKey(String service, String host) {
        return memberPrefix(service) + checked("host", host);
    }

    /** The service and host a key under {@link #statusRoot()} or {@link #membersRoot()} names. */
    public HostKey parseHostKey(String key, String root) {
        if (!key.startsWith(root)) {
            throw malformed(key, "is not under " + root);
        }
        String[] parts = key.substring(root.length()).split("/", -1);
        if (parts.length != 2) {
            throw malformed(key, "is not " + root + "SERVICE/HOST");
        }
        for (int i = 0; i < 2; i++) {
            String problem = nameProblem(i == 0 ? "service" : "host", parts[i]);
            if (problem != null) {
                throw malformed(key, problem);
            }
        }
        return new HostKey(parts[0], parts[1]);
    }

    /** A service and one of its hosts. */
    public record HostKey(String service, String host) {
    }

    public String budgetKey(String service) {
        return prefix + "/budget/" + checked("service", service);
    }

    public String logRoot() {
        return prefix + "/log/";
    }

    /**
     * A log entry's key: the time first, zero-padded so keys sort by time and everything older
     * than a cut-off is one key range; then a random id so two writers in one millisecond differ.
     */
    public String logKey(long millis, String id) {
        return logRoot() + logTime(millis) + "-" + id;
    }

    /** The key below which every log entry is older than {@code millis}. */
    public String logKeyBefore(long millis) {
        return logRoot() + logTime(millis);
    }

    private static String logTime(long millis) {
        return String.format("%015d", millis);
    }

    /** The smallest key after every key that starts with {@code prefix}: etcd's range_end for a prefix. */
    public static byte[] rangeEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0};
    }

    private static String checked(String what, String name) {
        String problem = nameProblem(what, name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    private static IllegalArgumentException malformed(String key, String problem) {
        return new IllegalArgumentException("key " + Printable.key(key) + " " + problem);
    }
}
