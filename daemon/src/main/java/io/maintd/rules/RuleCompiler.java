package io.maintd.rules;

import io.maintd.config.ConfigException;
import io.maintd.config.ConfigProblem;
import io.maintd.config.HostNameSyntax;
import io.maintd.config.MaintdConfig;
import io.maintd.config.MaintdConfig.Action;
import io.maintd.config.MaintdConfig.Matcher;
import io.maintd.config.MaintdConfig.RuleConfig;
import io.maintd.flagfile.FlagFileLayout;
import io.maintd.flagfile.FlagHandle;
import io.maintd.flagfile.FlagReader;
import io.maintd.syntax.ClosestName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compiles the configured rules once (at start and at reload) into a {@link RuleSet}: flag
 * names resolved to handles, matcher values parsed, decisions preallocated. Every problem is
 * reported, each under its key ({@code rules[1].if}, {@code rules[2].then.backend}).
 *
 * <p>Checks beyond syntax: every rule has an action, backends exist, and the last rule
 * catches every request ({@code then: backend} or {@code then: maintenance} with no
 * {@code if}, {@code match} or {@code unless}), like HAProxy's {@code default_backend}, so
 * there is never a request without a route. A rule after the catch-all could never run and
 * is refused rather than silently ignored.
 */
public final class RuleCompiler {
    /** RFC 9110 token: method and header names. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static final System.Logger LOG = System.getLogger(RuleCompiler.class.getName());

    private final Collection<String> backends;
    /** Null while only checking: then flag names are checked for syntax, not resolved. */
    private final FlagReader flags;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private RuleCompiler(Collection<String> backends, FlagReader flags) {
        this.backends = backends;
        this.flags = flags;
    }

    /**
     * Everything that can be known without the flag file: condition syntax, matcher values,
     * actions, backends, the catch-all. The config loader runs it ({@link io.maintd.config.RuleCheck})
     * so these problems are reported at their line with the file's others.
     */
    public static List<ConfigProblem> check(List<RuleConfig> rules, Collection<String> backendNames) {
        RuleCompiler compiler = new RuleCompiler(backendNames, null);
        compiler.compileAll(rules);
        return compiler.problems;
    }

    /**
     * @throws ConfigException naming the config file, each key and, for an unknown flag, the
     *                         flag and the closest existing one
     */
    public static RuleSet compile(MaintdConfig config, FlagReader flags) {
        RuleCompiler compiler = new RuleCompiler(config.backends().keySet(), flags);
        List<CompiledRule> compiled = compiler.compileAll(config.rules());
        if (!compiler.problems.isEmpty()) {
            throw new ConfigException(config.source() == null ? "built-in config" : config.source().toString(),
                    compiler.problems);
        }
        return new RuleSet(compiled.toArray(new CompiledRule[0]));
    }

    private List<CompiledRule> compileAll(List<RuleConfig> rules) {
        List<CompiledRule> compiled = new ArrayList<>();
        if (rules.isEmpty()) {
            problem("rules", "has no rules", backends.size() > 1
                    ? "with several backends the rules must say which one gets a request"
                    : "end the list with '- then: { backend: NAME }'");
            return compiled;
        }
        String catchAll = null;
        for (RuleConfig rule : rules) {
            if (catchAll != null) {
                problem(rule.key(), "is never reached: " + catchAll + " before it already takes every request",
                        "move it above " + catchAll);
            }
            CompiledRule c = compile(rule);
            if (c != null) {
                compiled.add(c);
            }
            if (catchAll == null && rule.catchesAll()) {
                catchAll = rule.key();
            }
        }
        if (catchAll == null) {
            problem("rules", "the last rule must take every request that no rule before it took",
                    "end the list with '- then: { backend: NAME }' (no if, match or unless), like HAProxy's default_backend");
        }
        return compiled;
    }

    /** Null when the rule has a problem (already reported). */
    private CompiledRule compile(RuleConfig rule) {
        int before = problems.size();
        Condition condition = rule.condition() == null ? Condition.Always.INSTANCE : condition(rule.key() + ".if", rule.condition());
        RequestMatcher[] match = matchers(rule.key() + ".match", rule.match());
        RequestMatcher[] unless = matchers(rule.key() + ".unless", rule.unless());
        Action then = rule.then();
        FlagHandle shedPercent = null;
        if (then == null) {
            problem(rule.key(), "has no action", "add then: maintenance, then: { backend: NAME } or then: { shed: FLAG }");
        } else if (then.kind() == Action.Kind.BACKEND && !backends.contains(then.argument())) {
            String hint = ClosestName.hint(then.argument(), backends);
            problem(rule.key() + ".then.backend", "unknown backend '" + then.argument() + "'",
                    hint != null ? hint : backends.isEmpty() ? "no backends are defined" : "backends: " + String.join(", ", backends));
        } else if (then.kind() == Action.Kind.SHED) {
            shedPercent = flag(rule.key() + ".then.shed", then.argument(), "");
        }
        if (problems.size() > before || flags == null) {
            return null;
        }
        return new CompiledRule(rule.key(), condition, match, unless, decision(then.kind()),
                then.kind() == Action.Kind.BACKEND ? then.argument() : null, shedPercent);
    }

    /** The config names what a rule does; the request's decision is the rules' own type. */
    private static Decision.Action decision(Action.Kind kind) {
        return switch (kind) {
            case BACKEND -> Decision.Action.BACKEND;
            case MAINTENANCE -> Decision.Action.MAINTENANCE;
            case SHED -> Decision.Action.SHED;
        };
    }

    private Condition condition(String key, String text) {
        ConditionTree tree;
        try {
            tree = ConditionParser.parse(text);
        } catch (ConditionSyntaxException e) {
            problem(key, e.getMessage() + " in \"" + text + "\"", null);
            return null;
        }
        return resolve(key, text, tree);
    }

    private Condition resolve(String key, String text, ConditionTree tree) {
        if (tree instanceof ConditionTree.FlagTest t) {
            FlagHandle handle = flag(key, t.flag(), " at column " + t.column() + " in \"" + text + "\"");
            return handle == null ? null : new Condition.FlagTest(handle, t.comparison(), t.value());
        }
        if (tree instanceof ConditionTree.Both b) {
            Condition left = resolve(key, text, b.left());
            Condition right = resolve(key, text, b.right());
            return left == null || right == null ? null : new Condition.Both(left, right);
        }
        if (tree instanceof ConditionTree.Either e) {
            Condition left = resolve(key, text, e.left());
            Condition right = resolve(key, text, e.right());
            return left == null || right == null ? null : new Condition.Either(left, right);
        }
        Condition operand = resolve(key, text, ((ConditionTree.Negation) tree).operand());
        return operand == null ? null : new Condition.Negation(operand);
    }

    /** The handle for {@code name}, or null (problem reported, or only checking). */
    private FlagHandle flag(String key, String name, String where) {
        String nameProblem = FlagFileLayout.nameProblem(name);
        if (nameProblem != null) {
            problem(key, nameProblem + where, null);
            return null;
        }
        if (flags == null) {
            return null;
        }
        Optional<FlagHandle> handle = flags.find(name);
        if (handle.isEmpty()) {
            List<String> known = flags.names();
            String hint = ClosestName.hint(name, known);
            problem(key, "unknown flag '" + name + "'" + where, hint != null ? hint
                    : known.isEmpty() ? "the flag file " + flags.path() + " has no flags"
                    : "flags in " + flags.path() + ": " + String.join(", ", known));
            return null;
        }
        return handle.get();
    }

    /**
     * Groups the values by matcher ({@code method: [GET, HEAD]} is one matcher with two
     * alternatives; two different headers are two matchers) and prepares each group.
     */
    private RequestMatcher[] matchers(String key, List<Matcher> written) {
        Map<String, List<Matcher>> groups = new LinkedHashMap<>();
        for (Matcher m : written) {
            String group = m.kind() + (m.name() == null ? "" : ":" + m.name().toLowerCase(Locale.ROOT));
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(m);
        }
        List<RequestMatcher> out = new ArrayList<>();
        for (List<Matcher> group : groups.values()) {
            RequestMatcher m = matcher(key, group);
            if (m != null) {
                out.add(m);
            }
        }
        return out.toArray(new RequestMatcher[0]);
    }

    private RequestMatcher matcher(String key, List<Matcher> group) {
        Matcher first = group.get(0);
        String valueKey = key + "." + first.kind().key();
        int before = problems.size();
        switch (first.kind()) {
            case PATH_PREFIX: {
                String[] prefixes = values(group);
                for (String p : prefixes) {
                    if (!p.startsWith("/") || p.indexOf('?') >= 0 || p.indexOf('#') >= 0) {
                        problem(valueKey, "'" + p + "' is not a path prefix", "a prefix starts with '/' and has no query");
                        continue;
                    }
                    String form = RequestPath.matchedForm(p);
                    if (form == null) {
                        problem(valueKey, "'" + p + "' can never match",
                                "requests with \\, %2F, %5C or a bad %-escape in the path are refused with 400");
                    } else if (!form.equals(p)) {
                        problem(valueKey, "'" + p + "' is not in the form paths are matched in",
                                "write '" + form + "' (dot segments resolved, // merged, ;parameters removed)");
                    }
                }
                return problems.size() > before ? null : new RequestMatcher.PathPrefix(prefixes);
            }
            case HOST: {
                String[] names = values(group);
                for (int i = 0; i < names.length; i++) {
                    names[i] = HostNameSyntax.normalize(names[i], (message, hint) -> problem(valueKey, message, hint));
                }
                return problems.size() > before ? null : new RequestMatcher.Host(names);
            }
            case METHOD: {
                String[] methods = new String[group.size()];
                for (int i = 0; i < methods.length; i++) {
                    String m = group.get(i).value();
                    if (!TOKEN.matcher(m).matches()) {
                        problem(valueKey, "'" + m + "' is not an HTTP method", null);
                    } else {
                        methods[i] = m;
                    }
                }
                return problems.size() > before ? null : new RequestMatcher.Method(methods);
            }
            case HEADER_EQUALS: {
                if (!TOKEN.matcher(first.name()).matches()) {
                    problem(key + ".header", "'" + first.name() + "' is not a header name", null);
                }
                // An empty expected value would match a request that sends the header empty. It is
                // what an unset bypass token (${MAINTD_BYPASS_TOKEN:-}) gives, so it is dropped rather
                // than refused: with no value left the matcher never matches and the bypass is off.
                List<String> expected = new ArrayList<>();
                for (String v : values(group)) {
                    if (!v.isEmpty()) {
                        expected.add(v);
                    }
                }
                if (expected.size() < group.size() && flags != null) {
                    LOG.log(System.Logger.Level.WARNING, valueKey + ": empty value ignored (an unset variable?); "
                            + (expected.isEmpty() ? "this " + first.name() + " match is off until a value is set"
                            : "the other values still match"));
                }
                return problems.size() > before ? null
                        : new RequestMatcher.HeaderEquals(first.name(), expected.toArray(new String[0]));
            }
            default: {
                Cidr[] networks = new Cidr[group.size()];
                for (int i = 0; i < networks.length; i++) {
                    try {
                        networks[i] = Cidr.parse(group.get(i).value());
                    } catch (IllegalArgumentException e) {
                        problem(valueKey, e.getMessage(), null);
                    }
                }
                return problems.size() > before ? null : new RequestMatcher.Source(networks);
            }
        }
    }

    private static String[] values(List<Matcher> group) {
        String[] out = new String[group.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = group.get(i).value();
        }
        return out;
    }

    private void problem(String key, String message, String hint) {
        problems.add(ConfigProblem.of(key, message, hint));
    }
}
