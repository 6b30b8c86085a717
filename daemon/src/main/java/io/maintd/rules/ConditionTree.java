package io.maintd.rules;

/**
 * A parsed condition before its flags are resolved: what {@link ConditionParser} produces
 * and {@link RuleCompiler} turns into a {@link Condition} over flag handles.
 */
sealed interface ConditionTree {

    /** {@code flag OP value}; a bare flag name is {@code flag != 0}. {@code column} is where the name starts (1-based). */
    record FlagTest(String flag, Comparison comparison, long value, int column) implements ConditionTree {
    }

    record Both(ConditionTree left, ConditionTree right) implements ConditionTree {
    }

    record Either(ConditionTree left, ConditionTree right) implements ConditionTree {
    }

    record Negation(ConditionTree operand) implements ConditionTree {
    }
}
