package io.maintd.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.maintd.rules.ConditionTree.Both;
import io.maintd.rules.ConditionTree.Either;
import io.maintd.rules.ConditionTree.FlagTest;
import io.maintd.rules.ConditionTree.Negation;
import org.junit.jupiter.api.Test;

class ConditionParserTest {

    private static ConditionTree parse(String text) throws ConditionSyntaxException {
        return ConditionParser.parse(text);
    }

    private static String error(String text) {
        return assertThrows(ConditionSyntaxException.class, () -> ConditionParser.parse(text)).getMessage();
    }

    @Test
    void comparisonReadsFlagOperatorAndNumber() throws Exception {
        assertEquals(new FlagTest("maint", Comparison.GREATER, 0, 1), parse("maint > 0"));
        assertEquals(new FlagTest("shed", Comparison.GREATER_OR_EQUAL, 50, 1), parse("shed>=50"));
        assertEquals(new FlagTest("a.b-c_d", Comparison.LESS, -3, 3), parse("  a.b-c_d < -3"));
        assertEquals(new FlagTest("w", Comparison.LESS_OR_EQUAL, 9, 1), parse("w <= 9"));
        assertEquals(new FlagTest("w", Comparison.EQUAL, 9, 1), parse("w == 9"));
        assertEquals(new FlagTest("w", Comparison.NOT_EQUAL, 9, 1), parse("w != 9"));
    }

    @Test
    void bareFlagMeansNotZero() throws Exception {
        assertEquals(new FlagTest("maint", Comparison.NOT_EQUAL, 0, 1), parse("maint"));
    }

    @Test
    void andBindsTighterThanOr() throws Exception {
        FlagTest a = new FlagTest("a", Comparison.NOT_EQUAL, 0, 1);
        FlagTest b = new FlagTest("b", Comparison.NOT_EQUAL, 0, 6);
        FlagTest c = new FlagTest("c", Comparison.NOT_EQUAL, 0, 12);
        assertEquals(new Either(a, new Both(b, c)), parse("a or b and c"));
    }

    @Test
    void notBindsTighterThanAnd() throws Exception {
        assertEquals(new Both(new Negation(new FlagTest("a", Comparison.NOT_EQUAL, 0, 5)),
                new FlagTest("b", Comparison.NOT_EQUAL, 0, 11)), parse("not a and b"));
    }

    @Test
    void parenthesesOverridePrecedence() throws Exception {
        assertEquals(new Both(new Either(new FlagTest("a", Comparison.NOT_EQUAL, 0, 2), new FlagTest("b", Comparison.NOT_EQUAL, 0, 7)),
                new FlagTest("c", Comparison.NOT_EQUAL, 0, 14)), parse("(a or b) and c"));
    }

    @Test
    void sameOperatorGroupsToTheLeft() throws Exception {
        assertEquals(new Either(new Either(new FlagTest("a", Comparison.NOT_EQUAL, 0, 1), new FlagTest("b", Comparison.NOT_EQUAL, 0, 6)),
                new FlagTest("c", Comparison.NOT_EQUAL, 0, 11)), parse("a or b or c"));
    }

    @Test
    void strayClosingParenthesisIsReportedWithItsColumn() {
        assertEquals("unexpected ')' at column 9; expected a whole number after '>'", error("maint > )"));
        assertEquals("unexpected ')' at column 10", error("maint > 0)"));
    }

    @Test
    void unclosedParenthesisPointsAtTheOpening() {
        assertEquals("unexpected end of condition at column 11; expected ')' to close the '(' at column 1", error("(maint > 0"));
    }

    @Test
    void missingNumberIsReported() {
        assertEquals("unexpected 'shed' at column 9; expected a whole number after '>'", error("maint > shed"));
        assertEquals("unexpected end of condition at column 8; expected a whole number after '>'", error("maint >"));
    }

    @Test
    void twoConditionsWithoutConnectiveAreReported() {
        assertEquals("unexpected 'shed' at column 11; join conditions with 'and' or 'or'", error("maint > 0 shed > 0"));
    }

    @Test
    void symbolsFromOtherLanguagesPointToTheWord() {
        assertEquals("'&' at column 11 is not an operator; use 'and'", error("maint > 0 && shed > 0"));
        assertEquals("'|' at column 11 is not an operator; use 'or'", error("maint > 0 || shed > 0"));
        assertEquals("'!' at column 1 is not an operator; negate with 'not'", error("!maint"));
        assertEquals("'=' at column 7 is not an operator; compare with '=='", error("maint = 1"));
    }

    @Test
    void upperCaseFlagNameIsRefused() {
        assertEquals("flag name 'Maint' at column 1 must be lower-case (flag names are [a-z0-9._-])", error("Maint > 0"));
    }

    @Test
    void flagNameTheFileCannotHoldIsRefusedByTheFilesGrammar() {
        String tooLong = "m".repeat(64);
        assertEquals("flag name \"" + tooLong + "\" is 64 characters; the limit is 63 (column 1)", error(tooLong + " > 0"));
        assertEquals("flag name \"_maint\" has '_' at position 1; names are lower-case [a-z0-9][a-z0-9._-]* (column 8)",
                error("shed > _maint"));
    }

    @Test
    void emptyConditionIsRefused() {
        assertEquals("empty condition (leave out 'if' for a rule that always applies)", error("   "));
    }

    @Test
    void numberBeyondSixtyFourBitsIsRefused() {
        assertEquals("number 99999999999999999999 at column 9 is too large", error("maint > 99999999999999999999"));
    }

    @Test
    void operatorWithoutFlagIsReported() {
        assertEquals("unexpected '>' at column 1; expected a flag name, 'not' or '('", error("> 0"));
        assertEquals("unexpected '1' at column 1; expected a flag name, 'not' or '('", error("1 < maint"));
    }
}
