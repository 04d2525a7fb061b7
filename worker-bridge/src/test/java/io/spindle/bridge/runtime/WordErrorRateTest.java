package io.spindle.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Word error rate against hand-counted alignments. */
class WordErrorRateTest {
    private static final double EXACT = 1e-12;

    @Test
    void identicalTextsHaveNoErrors() {
        WordErrorRate wer = WordErrorRate.of("the quick brown fox", "the quick brown fox");
        assertEquals(new WordErrorRate(4, 4, 0, 0, 0), wer);
        assertEquals(0.0, wer.value(), EXACT);
    }

    @Test
    void caseAndPunctuationDoNotCount() {
        assertEquals(0.0, WordErrorRate.of("Hello, World! Don't panic.", "hello world don\u2019t   PANIC").value(), EXACT);
        assertEquals(List.of("it's", "a", "well", "known", "quote"), WordErrorRate.words("\"It's a well-known 'quote'\""));
    }

    @Test
    void oneSubstitutionInFourWordsIsAQuarter() {
        WordErrorRate wer = WordErrorRate.of("the quick brown fox", "the quick brown box");
        assertEquals(new WordErrorRate(4, 4, 1, 0, 0), wer);
        assertEquals(0.25, wer.value(), EXACT);
    }

    @Test
    void deletionsAndInsertionsAreCountedApart() {
        // "two" deleted and "seven" inserted (2 edits); substituting along the shifted words would take 5.
        WordErrorRate wer = WordErrorRate.of("one two three four five six", "one three four five six seven");
        assertEquals(new WordErrorRate(6, 6, 0, 1, 1), wer);
        assertEquals(2.0 / 6, wer.value(), EXACT);
    }

    @Test
    void aSubstitutionADeletionAndAnInsertionAreOneEach() {
        // b→x substituted, d deleted, g inserted (3 edits); four substitutions would also align them, at cost 4.
        WordErrorRate wer = WordErrorRate.of("a b c d e f", "a x c e f g");
        assertEquals(new WordErrorRate(6, 6, 1, 1, 1), wer);
        assertEquals(0.5, wer.value(), EXACT);
    }

    @Test
    void anEmptyHypothesisDeletesEveryWordAndALongOneCanExceedOne() {
        assertEquals(new WordErrorRate(3, 0, 0, 3, 0), WordErrorRate.of("one two three", "..."));
        WordErrorRate wer = WordErrorRate.of("yes", "no no no");
        assertEquals(new WordErrorRate(1, 3, 1, 0, 2), wer);
        assertEquals(3.0, wer.value(), EXACT);
    }

    @Test
    void aReferenceWithoutWordsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WordErrorRate.of(" ?! ", "hello"));
    }
}
