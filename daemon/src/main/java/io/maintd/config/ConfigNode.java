package io.maintd.config;

import io.maintd.syntax.ClosestName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node together with its key path ({@code rules[1].unless}) and the walk it belongs
 * to. Every accessor reports what is wrong with the node as a {@link ConfigProblem} at the
 * node's line and column, and returns null (or the default) so the walk goes on and finds
 * the other problems too.
 */
final class ConfigNode {
    private final Node node;
    private final String key;
    private final ConfigWalk walk;

    ConfigNode(Node node, String key, ConfigWalk walk) {
        this.node = node;
        this.key = key;
        this.walk = walk;
        walk.remember(key, node);
    }

    String key() {
        return key;
    }

    void problem(String message) {
        problem(message, null);
    }

    void problem(String message, String hint) {
        walk.report(ConfigProblem.of(key, message, hint).at(
                node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1));
    }

    /** {@code key:} with nothing after it, or {@code ~}. */
    boolean isNull() {
        return node.getNodeId() == NodeId.scalar && Tag.NULL.equals(node.getTag());
    }

    boolean isMapping() {
        return node.getNodeId() == NodeId.mapping;
    }

    /** The scalar with {@code ${VAR}} expanded, or null after reporting a problem. */
    String text() {
        if (node.getNodeId() != NodeId.scalar) {
            problem("expected a single value, found a " + kind());
            return null;
        }
        if (isNull()) {
            problem("has no value");
            return null;
        }
        try {
            return EnvExpansion.expand(((ScalarNode) node).getValue(), walk.env());
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return null;
        }
    }

    /** The scalar parsed by {@code parse}; its IllegalArgumentException becomes a problem here. */
    <T> T parsed(Function<String, T> parse) {
        String text = text();
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return null;
        }
    }

    /** A list's items, or a single scalar as a list of one: {@code servers: a:1} reads like {@code [a:1]}. */
    List<ConfigNode> items() {
        List<ConfigNode> out = new ArrayList<>();
        if (node.getNodeId() == NodeId.sequence) {
            List<Node> values = ((SequenceNode) node).getValue();
            for (int i = 0; i < values.size(); i++) {
                out.add(new ConfigNode(values.get(i), key + "[" + i + "]", walk));
            }
            if (out.isEmpty()) {
                problem("is an empty list");
            }
        } else if (node.getNodeId() == NodeId.scalar && !isNull()) {
            out.add(this);
        } else {
            problem(isNull() ? "has no value" : "expected a value or a list, found a " + kind());
        }
        return out;
    }

    /** A list of mappings (or other nodes): unlike {@link #items()} a single value is refused. */
    List<ConfigNode> sequence() {
        if (node.getNodeId() != NodeId.sequence) {
            problem("expected a list, found a " + kind());
            return List.of();
        }
        return items();
    }

    /**
     * The mapping's entries by key, in file order. Keys outside {@code known} are reported
     * with a spelling hint; a duplicate key is reported with where the first one was (YAML
     * says duplicates are an error, and silently keeping the last hides typos in long files).
     * {@code known} null accepts any key (backend names).
     */
    Map<String, ConfigNode> mapping(List<String> known) {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        if (node.getNodeId() != NodeId.mapping) {
            problem("expected a mapping (key: value), found a " + kind());
            return entries;
        }
        Map<String, Node> firstKeyNode = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
            Node keyNode = tuple.getKeyNode();
            String childKey = key.isEmpty() ? "" : key + ".";
            if (keyNode.getNodeId() != NodeId.scalar) {
                new ConfigNode(keyNode, key, walk).problem("keys must be plain names, found a " + kindOf(keyNode));
                continue;
            }
            String name = ((ScalarNode) keyNode).getValue();
            ConfigNode keyAt = new ConfigNode(keyNode, childKey + name, walk);
            if (firstKeyNode.containsKey(name)) {
                Node first = firstKeyNode.get(name);
                keyAt.problem("duplicate key '" + name + "'", "first defined at line "
                        + (first.getStartMark().getLine() + 1) + ", column " + (first.getStartMark().getColumn() + 1));
                continue;
            }
            firstKeyNode.put(name, keyNode);
            if (known != null && !known.contains(name)) {
                String hint = ClosestName.hint(name, known);
                keyAt.problem("unknown key '" + name + "'", hint != null ? hint : "known keys here: " + String.join(", ", known));
                continue;
            }
            entries.put(name, new ConfigNode(tuple.getValueNode(), childKey + name, walk));
        }
        return entries;
    }

    private String kind() {
        return kindOf(node);
    }

    private static String kindOf(Node n) {
        switch (n.getNodeId()) {
            case mapping:
                return "mapping";
            case sequence:
                return "list";
            default:
                return "value";
        }
    }
}
