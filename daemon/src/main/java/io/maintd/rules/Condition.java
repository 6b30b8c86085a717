package io.maintd.rules;

import io.maintd.flagfile.FlagHandle;

/**
 * A compiled condition: a tree of small final nodes over resolved flag handles. Evaluating
 * one is a few acquire loads and compares: no lookup, no lock, no allocation.
 */
abstract class Condition {
    abstract boolean holds();

    static final class FlagTest extends Condition {
        private final FlagHandle flag;
        private final Comparison comparison;
        private final long operand;

        FlagTest(FlagHandle flag, Comparison comparison, long operand) {
            this.flag = flag;
            this.comparison = comparison;
            this.operand = operand;
        }

        @Override
        boolean holds() {
            return comparison.test(flag.get(), operand);
        }
    }

    static final class Both extends Condition {
        private final Condition left;
        private final Condition right;

        Both(Condition left, Condition right) {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean holds() {
            return left.holds() && right.holds();
        }
    }

    static final class Either extends Condition {
        private final Condition left;
        private final Condition right;

        Either(Condition left, Condition right) {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean holds() {
            return left.holds() || right.holds();
        }
    }

    static final class Negation extends Condition {
        private final Condition operand;

        Negation(Condition operand) {
            this.operand = operand;
        }

        @Override
        boolean holds() {
            return !operand.holds();
        }
    }

    /** For a rule without {@code if:}; keeps the rule loop free of null checks. */
    static final class Always extends Condition {
        static final Always INSTANCE = new Always();

        private Always() {
        }

        @Override
        boolean holds() {
            return true;
        }
    }
}
