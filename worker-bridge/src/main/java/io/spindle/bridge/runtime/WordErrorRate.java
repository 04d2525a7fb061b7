package io.spindle.bridge.runtime;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Word error rate of a hypothesis (a transcript) against a reference text: both are normalized (Unicode NFKC,
 * lower case, punctuation removed, apostrophes inside words kept), then aligned word by word with the minimum edit
 * distance; {@code wer = (substitutions + deletions + insertions) / reference words}, which exceeds 1 when the
 * hypothesis adds more words than the reference has.
 */
public record WordErrorRate(int referenceWords, int hypothesisWords, int substitutions, int deletions, int insertions) {
    /** Anything that is not a letter, a digit or an apostrophe separates words. */
    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}']+");
    /** Apostrophes that open or close a word are quotes, not part of it ({@code 'hello'} but {@code don't}). */
    private static final Pattern QUOTES = Pattern.compile("(^'+|'+$)");
    private static final String TYPOGRAPHIC_APOSTROPHE = "\u2019";

    public int errors() {
        return substitutions + deletions + insertions;
    }

    /** The rate; the reference must have at least one word. */
    public double value() {
        return errors() / (double) referenceWords;
    }

    /** The words of {@code text} as WER compares them. */
    public static List<String> words(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).replace(TYPOGRAPHIC_APOSTROPHE, "'").toLowerCase(Locale.ROOT);
        return Arrays.stream(SEPARATORS.split(folded))
                .map(word -> QUOTES.matcher(word).replaceAll(""))
                .filter(word -> !word.isEmpty())
                .toList();
    }

    /** Aligns the normalized words of {@code hypothesis} to those of {@code reference} (which must have some). */
    public static WordErrorRate of(String reference, String hypothesis) {
        return align(words(reference), words(hypothesis));
    }

    /**
     * Levenshtein alignment over words, keeping for each cell the edit counts of one cheapest path; on ties a
     * substitution is preferred, then a deletion, so the counts are deterministic.
     */
    static WordErrorRate align(List<String> ref, List<String> hyp) {
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("the reference has no words");
        }
        Cell[] previous = new Cell[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) {
            previous[j] = new Cell(0, 0, j);
        }
        for (int i = 1; i <= ref.size(); i++) {
            Cell[] current = new Cell[hyp.size() + 1];
            current[0] = new Cell(0, i, 0);
            for (int j = 1; j <= hyp.size(); j++) {
                Cell diagonal = previous[j - 1];
                Cell match = ref.get(i - 1).equals(hyp.get(j - 1)) ? diagonal
                        : new Cell(diagonal.substitutions + 1, diagonal.deletions, diagonal.insertions);
                Cell deletion = new Cell(previous[j].substitutions, previous[j].deletions + 1, previous[j].insertions);
                Cell insertion = new Cell(current[j - 1].substitutions, current[j - 1].deletions, current[j - 1].insertions + 1);
                Cell best = match;
                if (deletion.cost() < best.cost()) {
                    best = deletion;
                }
                if (insertion.cost() < best.cost()) {
                    best = insertion;
                }
                current[j] = best;
            }
            previous = current;
        }
        Cell end = previous[hyp.size()];
        return new WordErrorRate(ref.size(), hyp.size(), end.substitutions, end.deletions, end.insertions);
    }

    private record Cell(int substitutions, int deletions, int insertions) {
        int cost() {
            return substitutions + deletions + insertions;
        }
    }
}
