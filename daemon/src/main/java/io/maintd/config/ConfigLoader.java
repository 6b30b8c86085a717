package io.maintd.config;

import io.maintd.config.MaintdConfig.BackendConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads {@code maintd.yaml}. The YAML is composed to a node tree (not to maps) so every
 * value keeps its line and column; the tree is then walked key by key. Every problem in the
 * file is collected and thrown together in one {@link ConfigException}, each naming the file,
 * the key path and the position. The rules are checked here too (syntax, matchers,
 * backends) by the {@link RuleCheck} the caller passes, so {@code maintd --check-config} finds
 * everything except flag names, which only the flag file can confirm when the rules are compiled.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * @param env   for {@code ${VAR}}, normally {@code System.getenv()}
     * @param rules judges the rules beyond their shape ({@code RuleCompiler::check})
     * @throws ConfigException naming the file for an unreadable file and every problem in it
     */
    public static MaintdConfig load(Path file, Map<String, String> env, RuleCheck rules) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), ConfigProblem.of("", "no such file"));
        } catch (AccessDeniedException e) {
            throw new ConfigException(file.toString(), ConfigProblem.of("", "permission denied"));
        } catch (MalformedInputException e) {
            throw new ConfigException(file.toString(), ConfigProblem.of("", "is not UTF-8 text"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), ConfigProblem.of("", "cannot read: " + e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file, dir, env, rules);
    }

    /**
     * Loads YAML text; {@code sourceName} labels messages and relative paths stay relative to
     * the working directory. For tests and for configs that do not live in a file.
     */
    public static MaintdConfig parse(String yaml, String sourceName, Map<String, String> env, RuleCheck rules) {
        return parse(yaml, Path.of(sourceName), Path.of(""), env, rules);
    }

    private static MaintdConfig parse(String yaml, Path source, Path baseDir, Map<String, String> env, RuleCheck rules) {
        String name = source.toString();
        Node root = compose(yaml, name);
        ConfigWalk walk = new ConfigWalk(env);
        MaintdConfig config = new ConfigTreeReader(baseDir).read(new ConfigNode(root, "", walk), source);
        List<ConfigProblem> problems = new ArrayList<>(walk.problems());
        for (ConfigProblem p : rules.problems(config.rules(), backendNames(config))) {
            if (!coveredBy(p, walk.problems())) {
                problems.add(walk.locate(p));
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column));
            throw new ConfigException(name, problems);
        }
        return config;
    }

    private static Node compose(String yaml, String name) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        // Only compose() is used, so no object is ever constructed from a tag; SafeConstructor
        // is there so a later load() through this Yaml could not construct arbitrary types either.
        Yaml parser = new Yaml(new SafeConstructor(options));
        Node root;
        try {
            root = parser.compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = "invalid YAML: " + (e.getContext() != null ? e.getContext() + ", " : "") + e.getProblem();
            ConfigProblem p = ConfigProblem.of("", problem);
            throw new ConfigException(name, mark == null ? p : p.at(mark.getLine() + 1, mark.getColumn() + 1));
        } catch (YAMLException e) {
            throw new ConfigException(name, ConfigProblem.of("", "invalid YAML: " + e.getMessage()));
        }
        if (root == null) {
            throw new ConfigException(name, ConfigProblem.of("", "is empty", "see conf/maintd.yaml for an example"));
        }
        return root;
    }

    private static List<String> backendNames(MaintdConfig config) {
        return config.backends().values().stream().map(BackendConfig::name).toList();
    }

    /**
     * A rule problem at {@code rules[0]} is the consequence of a shape problem already
     * reported under it (its {@code then:} could not be read, so the rule has no action).
     */
    private static boolean coveredBy(ConfigProblem p, List<ConfigProblem> reported) {
        for (ConfigProblem r : reported) {
            if (r.key().equals(p.key()) || r.key().startsWith(p.key() + ".") || r.key().startsWith(p.key() + "[")) {
                return true;
            }
        }
        return false;
    }
}
