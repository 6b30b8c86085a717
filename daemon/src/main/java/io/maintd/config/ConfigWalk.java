package io.maintd.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The state of one walk over a YAML tree: the environment for {@code ${VAR}}, the problems
 * found so far, and where each key path sits in the file, so that problems found later
 * without the YAML (rule compilation) can still be given a line and column.
 */
final class ConfigWalk {
    private final Map<String, String> env;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, Node> nodesByKey = new HashMap<>();

    ConfigWalk(Map<String, String> env) {
        this.env = env;
    }

    Map<String, String> env() {
        return env;
    }

    void report(ConfigProblem problem) {
        problems.add(problem);
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    /** The last node seen for a key wins: the value, which is read after its key. */
    void remember(String key, Node node) {
        nodesByKey.put(key, node);
    }

    /** Gives a problem found away from the YAML the position of its key, or of the nearest enclosing key. */
    ConfigProblem locate(ConfigProblem problem) {
        if (problem.hasPosition()) {
            return problem;
        }
        String key = problem.key();
        while (key != null && !key.isEmpty()) {
            Node node = nodesByKey.get(key);
            if (node != null) {
                return problem.at(node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
            }
            int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
            key = cut > 0 ? key.substring(0, cut) : null;
        }
        return problem;
    }
}
