package io.maintd.config;

import io.maintd.config.MaintdConfig.Action;
import io.maintd.config.MaintdConfig.Matcher;
import io.maintd.config.MaintdConfig.RuleConfig;
import io.maintd.syntax.ClosestName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code rules:} into {@link RuleConfig}s as written. Whether a condition parses, a
 * CIDR is valid, a backend exists or a rule has an action is the rule compiler's judgement
 * (one place for it, also for configs built in code); this only checks the shape of the YAML.
 */
final class RuleTreeReader {
    private static final List<String> RULE_KEYS = List.of("if", "match", "unless", "then");
    private static final List<String> MATCHER_KEYS = List.of("path", "host", "method", "header", "equals", "source");
    private static final List<String> ACTION_KEYS = List.of("backend", "shed");

    List<RuleConfig> read(ConfigNode node, Set<String> backendNames) {
        if (node == null) {
            return defaultRules(backendNames);
        }
        List<RuleConfig> rules = new ArrayList<>();
        for (ConfigNode item : node.sequence()) {
            Map<String, ConfigNode> keys = item.mapping(RULE_KEYS);
            if (!item.isMapping()) {
                continue;
            }
            ConfigNode condition = keys.get("if");
            ConfigNode then = keys.get("then");
            rules.add(new RuleConfig(
                    item.key(),
                    condition == null ? null : condition.text(),
                    matchers(keys.get("match")),
                    matchers(keys.get("unless")),
                    then == null ? null : action(then)));
        }
        return rules;
    }

    /**
     * Without {@code rules:} maintd does what it is for with its standard flags: maintenance
     * page while {@code maint > 0}, shedding {@code shed} percent, else the one backend. With
     * several backends there is no obvious choice: the rule compiler then reports
     * that rules are missing.
     */
    private static List<RuleConfig> defaultRules(Set<String> backendNames) {
        if (backendNames.size() != 1) {
            return List.of();
        }
        String backend = backendNames.iterator().next();
        return List.of(
                new RuleConfig("rules[0]", "maint > 0", List.of(), List.of(), new Action(Action.Kind.MAINTENANCE, null)),
                new RuleConfig("rules[1]", "shed > 0", List.of(), List.of(), new Action(Action.Kind.SHED, "shed")),
                new RuleConfig("rules[2]", null, List.of(), List.of(), new Action(Action.Kind.BACKEND, backend)));
    }

    private static List<Matcher> matchers(ConfigNode node) {
        if (node == null) {
            return List.of();
        }
        Map<String, ConfigNode> keys = node.mapping(MATCHER_KEYS);
        if (node.isMapping() && keys.isEmpty()) {
            node.problem("has no matcher", "use path, host, method, header + equals, or source");
        }
        List<Matcher> out = new ArrayList<>();
        ConfigNode header = keys.get("header");
        ConfigNode equals = keys.get("equals");
        if (header != null && equals == null) {
            header.problem("'header' needs 'equals' with the value to compare");
        } else if (equals != null && header == null) {
            equals.problem("'equals' needs 'header' naming the header to compare");
        } else if (header != null) {
            String name = header.text();
            for (ConfigNode value : equals.items()) {
                String text = value.text();
                if (name != null && text != null) {
                    out.add(new Matcher(Matcher.Kind.HEADER_EQUALS, name, text));
                }
            }
        }
        for (Matcher.Kind kind : Matcher.Kind.values()) {
            ConfigNode values = kind == Matcher.Kind.HEADER_EQUALS ? null : keys.get(kind.key());
            if (values == null) {
                continue;
            }
            for (ConfigNode value : values.items()) {
                String text = value.text();
                if (text != null) {
                    out.add(new Matcher(kind, null, text));
                }
            }
        }
        return out;
    }

    private static Action action(ConfigNode then) {
        if (!then.isMapping()) {
            String word = then.text();
            if (word == null) {
                return null;
            }
            if (word.equals("maintenance")) {
                return new Action(Action.Kind.MAINTENANCE, null);
            }
            if (ACTION_KEYS.contains(word)) {
                then.problem("'" + word + "' needs an argument", "write then: { " + word + ": NAME }");
            } else {
                String hint = ClosestName.hint(word, List.of("maintenance"));
                then.problem("unknown action '" + word + "'",
                        hint != null ? hint : "use maintenance, { backend: NAME } or { shed: FLAG }");
            }
            return null;
        }
        // An empty mapping is left to the rule compiler, which reports every rule without an action.
        Map<String, ConfigNode> keys = then.mapping(ACTION_KEYS);
        if (keys.size() > 1) {
            then.problem("names more than one action", "a rule does one thing: { backend: NAME } or { shed: FLAG }");
        }
        if (keys.size() != 1) {
            return null;
        }
        Map.Entry<String, ConfigNode> only = keys.entrySet().iterator().next();
        String argument = only.getValue().text();
        if (argument == null) {
            return null;
        }
        return new Action(only.getKey().equals("backend") ? Action.Kind.BACKEND : Action.Kind.SHED, argument);
    }
}
