package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.util.Deadline;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts with a controlled gap between cause and effect, the kind of task Bengio et al. (1994) and
 * Hochreiter and Schmidhuber (1997) used to show what a recurrent network can remember. Each comes
 * from a seed (the same seed, the same text) with the places where it is scored: at
 * {@code positions[i]} the model has read everything before and must predict the symbol there,
 * choosing among {@code candidates[i]}; {@code groups[i]} buckets the result (bracket depth).
 * <ul>
 *   <li><b>recall</b>: a letter, {@code gap} random filler symbols, a cue, then the letter again:
 *       {@code C xzyxx...? C}. Scored at the letter after the cue (chance: 1 in 4).</li>
 *   <li><b>brackets</b>: nested brackets of four kinds; every closing bracket must match its
 *       opening one. Scored at each closing bracket, by its depth (chance: 1 in 4).</li>
 *   <li><b>reber</b>: the embedded Reber grammar: B, then T or P, a Reber string, and the same T or P
 *       again before the final E. Scored at that penultimate symbol (chance: 1 in 2).</li>
 * </ul>
 */
public final class SyntheticTexts {
    public static final String RECALL_LETTERS = "ABCD";
    public static final String FILLERS = "xyz";
    public static final char CUE = '?';
    public static final String CLOSERS = ")]}>";
    private static final String OPENERS = "([{<";

    public enum Task {
        RECALL, BRACKETS, REBER;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Task parse(String s) {
            for (Task t : values()) if (t.id().equals(s)) return t;
            throw new IllegalArgumentException("task must be recall, brackets or reber, got \"" + s + "\"");
        }
    }

    /** A text and where it is scored (indices are code points; every symbol here is ASCII). */
    public record Scored(String text, int[] positions, String[] candidates, int[] groups) {
    }

    /** The share of scored places the model got right, overall and per group. */
    public record Accuracy(double overall, int scored, double[] byGroup, int[] countByGroup) {
    }

    private SyntheticTexts() {
    }

    /**
     * @param size recall: the gap; brackets: the deepest nesting; reber: ignored
     */
    public static Scored generate(Task task, int size, int examples, long seed) {
        return switch (task) {
            case RECALL -> recall(size, examples, seed);
            case BRACKETS -> brackets(size, examples, seed);
            case REBER -> reber(examples, seed);
        };
    }

    public static Scored recall(int gap, int examples, long seed) {
        if (gap < 0 || gap > 10_000) throw new IllegalArgumentException("gap must be 0 to 10000, got " + gap);
        SplitMix64 rng = new SplitMix64(seed);
        StringBuilder text = new StringBuilder();
        Scores scores = new Scores();
        for (int e = 0; e < examples; e++) {
            char letter = pick(RECALL_LETTERS, rng);
            text.append(letter);
            for (int i = 0; i < gap; i++) text.append(pick(FILLERS, rng));
            text.append(CUE);
            scores.add(text.length(), RECALL_LETTERS, 0);
            text.append(letter).append('\n');
        }
        return scores.of(text.toString());
    }

    public static Scored brackets(int maxDepth, int examples, long seed) {
        if (maxDepth < 1 || maxDepth > 100) throw new IllegalArgumentException("depth must be 1 to 100, got " + maxDepth);
        SplitMix64 rng = new SplitMix64(seed);
        StringBuilder text = new StringBuilder();
        Scores scores = new Scores();
        for (int e = 0; e < examples; e++) {
            StringBuilder open = new StringBuilder();   // the brackets still open, innermost last
            int pairs = 1 + (int) (rng.nextDouble() * 2 * maxDepth);
            int opened = 0;
            while (opened < pairs || open.length() > 0) {
                boolean canOpen = opened < pairs && open.length() < maxDepth;
                if (canOpen && (open.length() == 0 || rng.nextDouble() < 0.5)) {
                    char o = pick(OPENERS, rng);
                    open.append(o);
                    text.append(o);
                    opened++;
                } else {
                    int depth = open.length();
                    char o = open.charAt(depth - 1);
                    open.setLength(depth - 1);
                    scores.add(text.length(), CLOSERS, depth);
                    text.append(CLOSERS.charAt(OPENERS.indexOf(o)));
                }
            }
            text.append('\n');
        }
        return scores.of(text.toString());
    }

    public static Scored reber(int examples, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        StringBuilder text = new StringBuilder();
        Scores scores = new Scores();
        for (int e = 0; e < examples; e++) {
            char branch = pick("TP", rng);
            text.append('B').append(branch);
            reberString(text, rng);
            scores.add(text.length(), "TP", 0);
            text.append(branch).append("E\n");
        }
        return scores.of(text.toString());
    }

    /** One string of Reber's grammar, B ... E, by a walk through its six-state graph. */
    private static void reberString(StringBuilder out, SplitMix64 rng) {
        // state -> two (symbol, next state) choices, taken with equal odds; state 6 ends
        String[] symbols = {"", "TP", "SX", "TV", "XS", "PV"};
        int[][] next = {{}, {2, 3}, {2, 4}, {3, 5}, {3, 6}, {4, 6}};
        out.append('B');
        int state = 1;
        while (state != 6) {
            int choice = rng.nextDouble() < 0.5 ? 0 : 1;
            out.append(symbols[state].charAt(choice));
            state = next[state][choice];
        }
        out.append('E');
    }

    private static char pick(String from, SplitMix64 rng) {
        return from.charAt((int) (rng.nextDouble() * from.length()));
    }

    /**
     * The model's answer at each scored place: it reads the text from a blank state, carrying its
     * state throughout, and at each place picks its likeliest symbol among the candidates.
     */
    public static String[] predictions(LanguageModel model, Scored s) {
        return predictions(model, s, Deadline.NONE);
    }

    /** Symbols {@link #predictions} reads in one forward pass: bounds the memory it takes. */
    public static final int PREDICTION_CHUNK = 256;

    /**
     * As above, asking {@code deadline} before each chunk of {@value #PREDICTION_CHUNK} symbols (the
     * server's time limit). A model with a block (a GPT) cannot carry its state on: it answers each
     * scored place from a window of its last block symbols, as it saw them in training.
     */
    public static String[] predictions(LanguageModel model, Scored s, Deadline deadline) {
        int[] ids = model.vocab().encode(s.text()).ids();
        if (ids.length != s.text().length()) throw new IllegalArgumentException("the model does not know every symbol of the text");
        if (model.contextLimit() != Integer.MAX_VALUE) return predictionsInWindows(model, s, ids, deadline);
        String[] chosen = new String[s.positions().length];
        int chunk = PREDICTION_CHUNK;
        LanguageModel.CarriedState state = model.zeroState(1);
        int next = 0;   // the next scored place to answer
        for (int from = 0; from < ids.length - 1; from += chunk) {
            deadline.check();
            int length = Math.min(chunk, ids.length - 1 - from);
            LanguageModel.Trace tr = model.newTrace(length, 1);
            model.forward(new int[][] {java.util.Arrays.copyOfRange(ids, from, from + length)}, state, tr);
            // step t of this chunk reads ids[from + t] and predicts position from + t + 1
            while (next < chosen.length && s.positions()[next] <= from + length) {
                chosen[next] = likeliest(model, tr.logits(s.positions()[next] - 1 - from, 0), s.candidates()[next]);
                next++;
            }
        }
        return chosen;
    }

    /** Windows read in one forward pass by {@link #predictionsInWindows}. */
    private static final int WINDOWS_AT_ONCE = 16;

    /**
     * Each scored place p from the window of the block's length that ends at symbol p − 1 (or, near
     * the start, the text's first block, whose later symbols the causal mask hides from p − 1).
     */
    private static String[] predictionsInWindows(LanguageModel model, Scored s, int[] ids, Deadline deadline) {
        int block = Math.min(model.contextLimit(), ids.length);
        String[] chosen = new String[s.positions().length];
        for (int first = 0; first < chosen.length; first += WINDOWS_AT_ONCE) {
            deadline.check();
            int count = Math.min(WINDOWS_AT_ONCE, chosen.length - first);
            int[][] windows = new int[count][];
            int[] starts = new int[count];
            for (int i = 0; i < count; i++) {
                starts[i] = Math.max(0, s.positions()[first + i] - block);
                windows[i] = java.util.Arrays.copyOfRange(ids, starts[i], starts[i] + block);
            }
            LanguageModel.Trace tr = model.newTrace(block, count);
            model.forward(windows, model.zeroState(count), tr);
            for (int i = 0; i < count; i++) {
                int p = s.positions()[first + i];
                chosen[first + i] = likeliest(model, tr.logits(p - 1 - starts[i], i), s.candidates()[first + i]);
            }
        }
        return chosen;
    }

    /** The candidate with the highest logit. */
    private static String likeliest(LanguageModel model, double[] logits, String candidates) {
        String best = null;
        double bestLogit = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates.length(); c++) {
            double logit = logits[model.vocab().indexOf(candidates.charAt(c))];
            if (logit > bestLogit) {
                bestLogit = logit;
                best = String.valueOf(candidates.charAt(c));
            }
        }
        return best;
    }

    /** Counts right answers, overall and per group (group g at index g). */
    public static Accuracy accuracy(Scored s, String[] predicted) {
        int groups = 0;
        for (int g : s.groups()) groups = Math.max(groups, g + 1);
        int[] right = new int[groups], count = new int[groups];
        int totalRight = 0;
        for (int i = 0; i < predicted.length; i++) {
            int p = s.positions()[i];
            boolean ok = s.text().substring(p, p + 1).equals(predicted[i]);
            count[s.groups()[i]]++;
            if (ok) {
                right[s.groups()[i]]++;
                totalRight++;
            }
        }
        double[] byGroup = new double[groups];
        for (int g = 0; g < groups; g++) byGroup[g] = count[g] == 0 ? Double.NaN : (double) right[g] / count[g];
        return new Accuracy(predicted.length == 0 ? Double.NaN : (double) totalRight / predicted.length, predicted.length, byGroup, count);
    }

    /** Scored places collected while a text is written. */
    private static final class Scores {
        final List<int[]> places = new ArrayList<>();
        final List<String> candidates = new ArrayList<>();

        void add(int position, String among, int group) {
            places.add(new int[] {position, group});
            candidates.add(among);
        }

        Scored of(String text) {
            int n = places.size();
            int[] positions = new int[n], groups = new int[n];
            for (int i = 0; i < n; i++) {
                positions[i] = places.get(i)[0];
                groups[i] = places.get(i)[1];
            }
            return new Scored(text, positions, candidates.toArray(new String[0]), groups);
        }
    }
}
