package io.maintd.daemon;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The options a command declares, parsed from {@code --name value} arguments; the same
 * declarations print {@code --help}.
 */
final class CommandLine {
    /** @param defaultText shown in help; null for options without a default */
    /** @param argument what the value is called in help, or null for a switch that takes none */
    record Option(String name, String argument, String description, String defaultText) {
    }

    private final List<Option> options;
    private final Map<String, String> values = new HashMap<>();

    private CommandLine(List<Option> options) {
        this.options = options;
    }

    static CommandLine parse(List<Option> options, List<String> args) throws UsageException {
        CommandLine line = new CommandLine(options);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            Option option = options.stream().filter(o -> ("--" + o.name()).equals(arg)).findFirst()
                    .orElseThrow(() -> new UsageException("unknown option " + arg));
            if (option.argument() == null) {
                line.values.put(option.name(), "");
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new UsageException(arg + " needs a value (" + option.argument() + ")");
            }
            line.values.put(option.name(), args.get(++i));
        }
        return line;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** HOST:PORT, port 0 meaning any free port. */
    InetSocketAddress address(String name, String fallback) throws UsageException {
        String text = get(name, fallback);
        int colon = text.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(InetAddress.getByName(text.substring(0, colon)), port);
        } catch (NumberFormatException | UnknownHostException e) {
            throw new UsageException("--" + name + " " + text + ": expected HOST:PORT, e.g. 127.0.0.1:8080");
        }
    }

    static String help(List<Option> options) {
        List<String> lines = new ArrayList<>();
        for (Option o : options) {
            String head = "  --" + o.name() + (o.argument() == null ? "" : " " + o.argument());
            lines.add(String.format("%-28s %s%s", head, o.description(),
                    o.defaultText() == null ? "" : " (default: " + o.defaultText() + ")"));
        }
        return String.join("\n", lines);
    }
}
