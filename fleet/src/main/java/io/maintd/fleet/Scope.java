package io.maintd.fleet;

/**
 * Where a fleet flag key applies: to every host, to one service (pool), or to one host. For a
 * given flag the most specific scope that has a key wins: host, then service, then all.
 *
 * @param name the service or host name; empty for {@link Level#ALL}
 */
public record Scope(Level level, String name) {
    /** In order of precedence, weakest first. */
    public enum Level {
        ALL("all"), SERVICE("service"), HOST("host");

        private final String word;

        Level(String word) {
            this.word = word;
        }

        /** The path segment in the key ({@code flags/service/...}), also how logs and flagctl name it. */
        public String word() {
            return word;
        }
    }

    public Scope {
        if (level == Level.ALL ? !name.isEmpty() : FleetKeys.nameProblem(level.word(), name) != null) {
            throw new IllegalArgumentException(level == Level.ALL ? "the all scope has no name"
                    : FleetKeys.nameProblem(level.word(), name));
        }
    }

    public static Scope all() {
        return new Scope(Level.ALL, "");
    }

    public static Scope service(String name) {
        return new Scope(Level.SERVICE, name);
    }

    public static Scope host(String name) {
        return new Scope(Level.HOST, name);
    }

    /** {@code all}, {@code service web}, {@code host web-3}: for messages. */
    @Override
    public String toString() {
        return level == Level.ALL ? "all" : level.word() + " " + name;
    }
}
