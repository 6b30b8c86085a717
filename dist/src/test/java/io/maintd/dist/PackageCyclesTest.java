package io.maintd.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of every module in the checkout form a DAG (docs/architecture.md): no package
 * depends on itself through others. The JDK's jdeps reads each module's compiled main classes
 * from its {@code target/classes}; modules are found by walking the checkout rather than listed
 * here, so one added later is checked without anyone remembering to add it. It runs in dist
 * because dist is built after every module it ships. Test classes are not checked.
 *
 * <p>jdeps rather than ArchUnit (docs/decisions.md, decision 9): it sees every class the bytecode
 * names, including the owner of a constant javac inlined, which is a dependency of the source.
 */
class PackageCyclesTest {
    @Test
    void everyModulesPackagesAreFreeOfCycles() throws IOException {
        Map<String, Map<String, Set<String>>> graph = packageGraph(compiledModules());
        List<String> cycles = stronglyConnected(graph).stream().map(cycle -> describe(cycle, graph)).toList();
        assertEquals(List.of(), cycles, "package cycles; break them (docs/architecture.md shows the layers)");
    }

    /** {@code target/classes} of each module that has main sources; fails for one not built yet. */
    private static List<Path> compiledModules() throws IOException {
        List<Path> compiled = new ArrayList<>();
        try (Stream<Path> modules = Files.list(Artifacts.ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).sorted().toList()) {
                Path classes = module.resolve("target/classes");
                assertTrue(Files.isDirectory(classes), module.getFileName() + " has main sources but no " + classes
                        + ": build every module first (mvn -B verify from the root)");
                compiled.add(classes);
            }
        }
        assertTrue(compiled.size() >= 4, "found only " + compiled + " under " + Artifacts.ROOT);
        return compiled;
    }

    /** Package → package it uses → the class-level edges that make it so, from {@code jdeps -verbose:class}. */
    private static Map<String, Map<String, Set<String>>> packageGraph(List<Path> classDirs) {
        List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none", "-e", "io\\.maintd\\..*"));
        classDirs.forEach(d -> args.add(d.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("this JDK has no jdeps"))
                .run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
        assertEquals(0, code, () -> "jdeps " + args + " failed: " + err);
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("io.maintd.") && f[2].startsWith("io.maintd.")) {
                String from = packageOf(f[0]);
                String to = packageOf(f[2]);
                if (!from.equals(to)) {
                    graph.computeIfAbsent(from, p -> new TreeMap<>()).computeIfAbsent(to, p -> new TreeSet<>())
                            .add(simpleName(f[0]) + " -> " + simpleName(f[2]));
                }
            }
        }
        assertTrue(graph.size() > 5, "jdeps found almost no dependencies: " + graph.keySet());
        return graph;
    }

    /** Tarjan's strongly connected components with more than one package: each is a cycle. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, Set<String>>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> components = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                visit(node, graph, index, low, stack, components);
            }
        }
        return components;
    }

    private static void visit(String node, Map<String, Map<String, Set<String>>> graph, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                visit(next, graph, index, low, stack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                components.add(component);
            }
        }
    }

    /** The packages of the cycle, and every class-level edge between them. */
    private static String describe(Set<String> cycle, Map<String, Map<String, Set<String>>> graph) {
        StringBuilder b = new StringBuilder("cycle among " + cycle + ":");
        for (String from : cycle) {
            for (Map.Entry<String, Set<String>> to : graph.getOrDefault(from, Map.of()).entrySet()) {
                if (cycle.contains(to.getKey())) {
                    b.append("\n  ").append(from).append(" -> ").append(to.getKey()).append(": ")
                            .append(String.join(", ", to.getValue()));
                }
            }
        }
        return b.toString();
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
