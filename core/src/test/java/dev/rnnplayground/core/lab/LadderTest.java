package dev.rnnplayground.core.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.core.util.DeadlineExceededException;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ablation ladder: each rung's gradient, the experiment's determinism, and that a short run learns. */
class LadderTest {
    private static final String TEXT = ("the cat sat on the mat. the rat sat on the hat. that cat is fat; "
            + "a hat on a mat, a cat on a rat. ").repeat(40);
    /** A budget that runs every rung in a few seconds: 60 steps of 8 windows, 400 symbols scored. */
    private static final Ladder.Budget SHORT = new Ladder.Budget(8, 1e-2, 0.01, 60, 0.1, 400, 3);

    /**
     * Every rung, built at 8 channels (the one head of 8, or four heads of 2) with weights far from
     * the tiny start, so attention is far from uniform: every analytic gradient equals the central
     * difference of the loss.
     */
    @ParameterizedTest
    @EnumSource(LadderRung.class)
    void everyRungsGradientsMatchCentralDifferences(LadderRung rung) {
        GradientCheck.Result result = GradientCheck.run(scrambled(rung), 42);
        assertFalse(result.params().isEmpty());
        for (GradientCheck.ParamResult p : result.params()) {
            assertTrue(p.passed(), () -> String.format("%s %s: max relative error %.3e (abs %.3e) at element %d: analytic %.10e,"
                    + " numeric %.10e", rung.id(), p.name(), p.maxRelativeError(), p.maxAbsoluteError(), p.worstIndex(),
                    p.analytic(), p.numeric()));
        }
    }

    /**
     * The negative control on an ablated GPT with every part (one block, to keep it quick): one
     * gradient 0.1% off fails the check, and only that one.
     */
    @Test
    void aSpoiledGradientOfAnAblatedGptFailsTheCheck() {
        LanguageModel model = scramble(new AblatedGpt(Vocab.of("abcde"), new AblatedGpt.Parts(8, 4, true, 1, true, 8)));
        int parameters = model.parameters().size();
        for (int spoiled = 0; spoiled < parameters; spoiled++) {
            int target = spoiled;
            GradientCheck.Result result = GradientCheck.run(model, 42, m -> {
                Param p = m.parameters().get(target);
                int largest = 0;
                for (int i = 1; i < p.size(); i++) if (Math.abs(p.dw[i]) > Math.abs(p.dw[largest])) largest = i;
                p.dw[largest] *= 1.001;
            });
            for (int i = 0; i < parameters; i++) {
                GradientCheck.ParamResult p = result.params().get(i);
                assertEquals(i != target, p.passed(), p.name() + (i == target ? " passed though spoiled: " : " failed: ") + p);
            }
        }
    }

    /**
     * The rung with every part but LayerNorm has exactly the GPT's parameters less the LayerNorms'
     * (a weight and a bias of C for ln_1, ln_2 in each of the 3 blocks and for ln_f), with the GPT's names.
     */
    @Test
    void theResidualRungIsTheGptWithoutItsLayerNorms() {
        Vocab vocab = Vocab.of(TEXT);
        LanguageModel residual = LadderRung.RESIDUAL.create(vocab, 1);
        Gpt gpt = (Gpt) LadderRung.LAYER_NORM.create(vocab, 1);
        assertEquals(Architecture.gpt(32, 3, 4, 8, true), gpt.architecture());
        int c = LadderRung.CHANNELS;
        assertEquals(gpt.parameterCount() - (3 * 4 * c + 2 * c), residual.parameterCount());
        List<String> withoutNorms = new ArrayList<>();
        for (Param p : gpt.parameters()) if (!p.name.contains(".ln_")) withoutNorms.add(p.name);
        assertEquals(withoutNorms, residual.parameters().stream().map(p -> p.name).toList());
    }

    @Test
    void theLadderIsTheSameForASeedAndEveryRungLearnsBelowTheUniformGuess() {
        List<Ladder.Outcome> reported = new ArrayList<>();
        List<Ladder.Outcome> first = Ladder.run(TEXT, SHORT, Deadline.NONE, reported::add);
        assertEquals(first, reported);
        assertEquals(List.of(LadderRung.values()), first.stream().map(Ladder.Outcome::rung).toList());
        double uniform = Math.log(Vocab.of(TEXT).size());
        for (Ladder.Outcome o : first) {
            assertTrue(o.valLoss() < 0.8 * uniform, o.rung().id() + ": held-out loss " + o.valLoss() + ", ln V = " + uniform);
            assertTrue(o.trainLoss() < 0.8 * uniform, o.rung().id() + ": training loss " + o.trainLoss());
            assertEquals(o.rung().create(Vocab.of(TEXT), 3).parameterCount(), o.parameters());
        }
        // the same seed, the same numbers to the last bit; another seed, other numbers
        List<Ladder.Outcome> again = Ladder.run(List.of(LadderRung.BIGRAM, LadderRung.MLP), TEXT, SHORT, Deadline.NONE, o -> { });
        for (Ladder.Outcome o : again) {
            Ladder.Outcome same = first.get(o.rung().ordinal());
            assertEquals(same.valLoss(), o.valLoss(), 0, o.rung().id());
            assertEquals(same.trainLoss(), o.trainLoss(), 0, o.rung().id());
        }
        Ladder.Outcome reseeded = Ladder.run(LadderRung.MLP, TEXT, SHORT.withSeed(4), Deadline.NONE);
        assertNotEquals(first.get(LadderRung.MLP.ordinal()).valLoss(), reseeded.valLoss());
    }

    @Test
    void aPassedDeadlineStopsARungBetweenSteps() {
        assertThrows(DeadlineExceededException.class, () -> Ladder.run(LadderRung.ONE_HEAD, TEXT, SHORT, Deadline.after(-1)));
    }

    @Test
    void rungsAreNamedAsTheCommandLineTakesThem() {
        assertEquals(LadderRung.FOUR_HEADS, LadderRung.parse("four-heads"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LadderRung.parse("two-heads"));
        assertEquals("unknown rung \"two-heads\": expected bigram, one-head, four-heads, mlp, residual or layernorm", e.getMessage());
    }

    /** The rung at 8 channels on 5 symbols, every weight drawn from U(-0.5, 0.5). */
    private static LanguageModel scrambled(LadderRung rung) {
        return scramble(rung.create(Vocab.of("abcde"), 8, 7));
    }

    private static LanguageModel scramble(LanguageModel model) {
        SplitMix64 rng = new SplitMix64(11);
        for (Param p : model.parameters()) p.uniform(rng, 0.5);
        return model;
    }
}
