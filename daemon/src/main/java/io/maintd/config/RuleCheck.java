package io.maintd.config;

import io.maintd.config.MaintdConfig.RuleConfig;
import java.util.Collection;
import java.util.List;

/**
 * Judges the rules as written beyond the shape of their YAML: conditions, matcher values,
 * actions, backends, the catch-all. The loader runs it so those problems are reported with the
 * file's others, each at its line and column. The rule compiler is the judge
 * ({@code RuleCompiler::check}); this package reads and validates the file and knows nothing of
 * how rules are compiled.
 */
@FunctionalInterface
public interface RuleCheck {
    /** @return every problem, each under its key ({@code rules[1].if}); empty when the rules are sound */
    List<ConfigProblem> problems(List<RuleConfig> rules, Collection<String> backendNames);
}
