package io.maintd.rules;

/** The comparison operators of the condition language, flag value on the left. */
public enum Comparison {
    GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<="), EQUAL("=="), NOT_EQUAL("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    static Comparison ofSymbol(String symbol) {
        for (Comparison c : values()) {
            if (c.symbol.equals(symbol)) {
                return c;
            }
        }
        return null;
    }

    boolean test(long flag, long operand) {
        switch (this) {
            case GREATER:
                return flag > operand;
            case GREATER_OR_EQUAL:
                return flag >= operand;
            case LESS:
                return flag < operand;
            case LESS_OR_EQUAL:
                return flag <= operand;
            case EQUAL:
                return flag == operand;
            default:
                return flag != operand;
        }
    }
}
