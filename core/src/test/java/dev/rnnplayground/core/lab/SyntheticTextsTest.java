package dev.rnnplayground.core.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.rnn.CharRnn;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The synthetic texts: one text per seed, the structure each promises, and their metric. */
class SyntheticTextsTest {

    @ParameterizedTest
    @EnumSource(SyntheticTexts.Task.class)
    void theSameSeedGivesTheSameTextAndAnotherSeedAnother(SyntheticTexts.Task task) {
        SyntheticTexts.Scored a = SyntheticTexts.generate(task, 5, 50, 7);
        SyntheticTexts.Scored b = SyntheticTexts.generate(task, 5, 50, 7);
        assertEquals(a.text(), b.text());
        assertArrayEquals(a.positions(), b.positions());
        assertNotEquals(a.text(), SyntheticTexts.generate(task, 5, 50, 8).text());
        assertEquals(50, a.text().chars().filter(c -> c == '\n').count(), "one example a line");
    }

    @Test
    void recallRepeatsTheLetterAfterTheGapAndTheCue() {
        SyntheticTexts.Scored s = SyntheticTexts.recall(6, 30, 1);
        String[] lines = s.text().split("\n");
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].matches("[ABCD][xyz]{6}\\?[ABCD]"), lines[i]);
            assertEquals(lines[i].charAt(0), lines[i].charAt(8));
            assertEquals(i * 10 + 8, s.positions()[i], "scored at the recalled letter");
        }
    }

    @Test
    void bracketsBalanceAndEveryClosingOneIsScoredAtItsDepth() {
        SyntheticTexts.Scored s = SyntheticTexts.brackets(4, 40, 3);
        int scored = 0;
        for (int p = 0; p < s.text().length(); p++) {
            char c = s.text().charAt(p);
            if (SyntheticTexts.CLOSERS.indexOf(c) >= 0) {
                assertEquals(p, s.positions()[scored]);
                scored++;
            }
        }
        assertEquals(s.positions().length, scored);
        Deque<Character> open = new ArrayDeque<>();
        int k = 0;
        for (char c : s.text().toCharArray()) {
            if ("([{<".indexOf(c) >= 0) {
                open.push(c);
                assertTrue(open.size() <= 4, "never deeper than asked");
            } else if (c != '\n') {
                assertEquals(open.size(), s.groups()[k++], "the depth of the pair it closes");
                assertEquals("([{<".indexOf(open.pop()), SyntheticTexts.CLOSERS.indexOf(c), "matches its opening bracket");
            } else {
                assertTrue(open.isEmpty(), "every line balanced");
            }
        }
    }

    @Test
    void reberRepeatsItsSecondSymbolBeforeTheEnd() {
        SyntheticTexts.Scored s = SyntheticTexts.reber(40, 2);
        int offset = 0;
        for (String line : s.text().split("\n")) {
            // B, T or P, a Reber string (B ... E), the same T or P, E
            assertTrue(line.matches("B[TP]B[TPSXV]+E[TP]E"), line);
            assertTrue(acceptedByReber(line.substring(3, line.length() - 3)), line);
            assertEquals(line.charAt(1), line.charAt(line.length() - 2));
            assertTrue(s.positions()[0] > 0);
            offset += line.length() + 1;
        }
        assertEquals(s.text().length(), offset);
        assertEquals('\n', s.text().charAt(s.positions()[0] + 2));
    }

    /** Reber's six-state graph, written out from the paper's figure: does it accept the string between B and E? */
    private static boolean acceptedByReber(String inner) {
        String[][] edges = {{}, {"T2", "P3"}, {"S2", "X4"}, {"T3", "V5"}, {"X3", "S6"}, {"P4", "V6"}};
        int state = 1;
        for (char c : inner.toCharArray()) {
            if (state == 6) return false;
            int next = -1;
            for (String e : edges[state]) if (e.charAt(0) == c) next = e.charAt(1) - '0';
            if (next < 0) return false;
            state = next;
        }
        return state == 6;
    }

    @Test
    void accuracyCountsRightAnswersOverallAndPerGroup() {
        // a hand-made text: at 3 places, groups 1, 2, 1
        SyntheticTexts.Scored s = new SyntheticTexts.Scored("(())[]\n", new int[] {2, 3, 5},
                new String[] {")]", ")]", ")]"}, new int[] {2, 1, 1});
        SyntheticTexts.Accuracy a = SyntheticTexts.accuracy(s, new String[] {")", "]", "]"});
        assertEquals(2.0 / 3, a.overall(), 1e-15);
        assertEquals(3, a.scored());
        assertEquals(0.5, a.byGroup()[1], 1e-15, "depth 1: ']' wrong at 3, ']' right at 5");
        assertEquals(1.0, a.byGroup()[2], 1e-15);
        assertArrayEquals(new int[] {0, 2, 1}, a.countByGroup());
    }

    @Test
    void predictionsAreTheModelsLikeliestCandidateAtEachScoredPlace() {
        SyntheticTexts.Scored s = SyntheticTexts.recall(3, 200, 5);
        CharRnn model = new CharRnn(CellType.GRU, Vocab.of(s.text()), 4, 1).initialize(1);
        // a decoder that always says B, above every other letter: only the candidates' order matters
        java.util.Arrays.fill(model.parameter("decoder.weight").w, 0);
        model.parameter("decoder.bias").w[model.vocab().indexOf('B')] = 5;
        model.parameter("decoder.bias").w[model.vocab().indexOf('x')] = 9;   // not a candidate: ignored
        String[] predicted = SyntheticTexts.predictions(model, s);
        for (String p : predicted) assertEquals("B", p);
        long bs = java.util.Arrays.stream(s.positions()).filter(p -> s.text().charAt(p) == 'B').count();
        assertEquals((double) bs / 200, SyntheticTexts.accuracy(s, predicted).overall(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SyntheticTexts.recall(-1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticTexts.Task.parse("copy"));
    }
}
