package io.maintd.rules;

import io.maintd.flagfile.FlagFileLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser for rule conditions. Grammar, loosest binding first:
 *
 * <pre>
 * condition  = or END
 * or         = and { "or" and }
 * and        = unary { "and" unary }
 * unary      = "not" unary | "(" or ")" | comparison
 * comparison = FLAG [ (">" | ">=" | "<" | "<=" | "==" | "!=") INTEGER ]
 * FLAG       = [a-z0-9][a-z0-9._-]*   (not all digits; the flag file's name grammar, FlagFileLayout.nameProblem)
 * INTEGER    = [-]digits
 * </pre>
 *
 * A bare FLAG means {@code FLAG != 0}. Errors name the 1-based column of the offending token
 * ({@code unexpected ')' at column 9}), and the usual symbols from other languages
 * ({@code &&}, {@code ||}, {@code !}, {@code =}) get a pointer to the word this one uses.
 */
final class ConditionParser {
    private enum Type { FLAG, INTEGER, OPERATOR, OPEN, CLOSE, AND, OR, NOT, END }

    private record Token(Type type, String text, int column) {
        String describe() {
            return type == Type.END ? "end of condition" : "'" + text + "'";
        }
    }

    private final List<Token> tokens;
    private int next;

    private ConditionParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static ConditionTree parse(String text) throws ConditionSyntaxException {
        ConditionParser parser = new ConditionParser(tokenize(text));
        if (parser.peek().type == Type.END) {
            throw new ConditionSyntaxException("empty condition (leave out 'if' for a rule that always applies)");
        }
        ConditionTree tree = parser.or();
        Token trailing = parser.peek();
        if (trailing.type != Type.END) {
            throw parser.unexpected(trailing, trailing.type == Type.CLOSE ? "" : "; join conditions with 'and' or 'or'");
        }
        return tree;
    }

    private ConditionTree or() throws ConditionSyntaxException {
        ConditionTree left = and();
        while (peek().type == Type.OR) {
            next++;
            left = new ConditionTree.Either(left, and());
        }
        return left;
    }

    private ConditionTree and() throws ConditionSyntaxException {
        ConditionTree left = unary();
        while (peek().type == Type.AND) {
            next++;
            left = new ConditionTree.Both(left, unary());
        }
        return left;
    }

    private ConditionTree unary() throws ConditionSyntaxException {
        Token t = take();
        switch (t.type) {
            case NOT:
                return new ConditionTree.Negation(unary());
            case OPEN: {
                ConditionTree inner = or();
                Token close = take();
                if (close.type != Type.CLOSE) {
                    throw unexpected(close, "; expected ')' to close the '(' at column " + t.column);
                }
                return inner;
            }
            case FLAG:
                return comparison(t);
            default:
                throw unexpected(t, "; expected a flag name, 'not' or '('");
        }
    }

    private ConditionTree comparison(Token flag) throws ConditionSyntaxException {
        if (peek().type != Type.OPERATOR) {
            return new ConditionTree.FlagTest(flag.text, Comparison.NOT_EQUAL, 0, flag.column);
        }
        Token operator = take();
        Token operand = take();
        if (operand.type != Type.INTEGER) {
            throw unexpected(operand, "; expected a whole number after '" + operator.text + "'");
        }
        long value;
        try {
            value = Long.parseLong(operand.text);
        } catch (NumberFormatException e) {
            throw new ConditionSyntaxException("number " + operand.text + " at column " + operand.column + " is too large");
        }
        return new ConditionTree.FlagTest(flag.text, Comparison.ofSymbol(operator.text), value, flag.column);
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.type != Type.END) {
            next++;
        }
        return t;
    }

    private ConditionSyntaxException unexpected(Token t, String expectation) {
        return new ConditionSyntaxException("unexpected " + t.describe() + " at column " + t.column + expectation);
    }

    private static List<Token> tokenize(String text) throws ConditionSyntaxException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int column = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(new Token(c == '(' ? Type.OPEN : Type.CLOSE, String.valueOf(c), column));
                i++;
            } else if (c == '>' || c == '<' || c == '=' || c == '!') {
                boolean withEquals = i + 1 < text.length() && text.charAt(i + 1) == '=';
                String symbol = withEquals ? text.substring(i, i + 2) : String.valueOf(c);
                if (symbol.equals("=")) {
                    throw new ConditionSyntaxException("'=' at column " + column + " is not an operator; compare with '=='");
                }
                if (symbol.equals("!")) {
                    throw new ConditionSyntaxException("'!' at column " + column + " is not an operator; negate with 'not'");
                }
                tokens.add(new Token(Type.OPERATOR, symbol, column));
                i += symbol.length();
            } else if (c == '&' || c == '|') {
                throw new ConditionSyntaxException("'" + c + "' at column " + column + " is not an operator; use '"
                        + (c == '&' ? "and" : "or") + "'");
            } else if (isWordChar(c)) {
                int end = i;
                while (end < text.length() && isWordChar(text.charAt(end))) {
                    end++;
                }
                tokens.add(word(text.substring(i, end), column));
                i = end;
            } else {
                throw new ConditionSyntaxException("unexpected '" + c + "' at column " + column);
            }
        }
        tokens.add(new Token(Type.END, "", text.length() + 1));
        return tokens;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    }

    private static Token word(String w, int column) throws ConditionSyntaxException {
        switch (w) {
            case "and":
                return new Token(Type.AND, w, column);
            case "or":
                return new Token(Type.OR, w, column);
            case "not":
                return new Token(Type.NOT, w, column);
            default:
                break;
        }
        if (w.matches("-?[0-9]+")) {
            return new Token(Type.INTEGER, w, column);
        }
        String problem = FlagFileLayout.nameProblem(w);
        if (problem != null) {
            throw new ConditionSyntaxException(w.equals(w.toLowerCase(Locale.ROOT))
                    ? problem + " (column " + column + ")"
                    : "flag name '" + w + "' at column " + column + " must be lower-case (flag names are [a-z0-9._-])");
        }
        return new Token(Type.FLAG, w, column);
    }
}
