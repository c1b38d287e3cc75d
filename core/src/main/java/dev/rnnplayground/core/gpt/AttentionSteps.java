package dev.rnnplayground.core.gpt;

import static dev.rnnplayground.core.gpt.BlockParams.w;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.Vocab;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Self-attention one stage at a time, for a learner to watch: the first half of a GPT block
 * (nanoGPT's {@code x + attn(ln_1(x))}) at one position t of a text, for one head h of size
 * hs = C / NH, with every number in between:
 * <pre>
 *   embed      x_j      = wte[symbol_j] + wpe[j]                      (C), for every j <= t
 *   layernorm  ln_j     = ln_1(x_j): mean, 1/std, the normalised row   (C)
 *   qkv        q_t, k_j, v_j = c_attn(ln_j), head h's slice of each    (hs)
 *   scores     s_j      = q_t . k_j / sqrt(hs)                         for j <= t
 *   mask       s_j      = -infinity for j > t (no reading ahead)       (T)
 *   softmax    p_j      = exp(s_j) / sum exp(s)                        (T), 0 after t
 *   mix        y_t^h    = sum_j p_j v_j                                (hs)
 *   project    y_t = every head's y side by side; c_proj(y_t)          (C)
 *   residual   x_t + c_proj(y_t), what flows on to the MLP             (C)
 * </pre>
 * Each stage runs core's own layers ({@link Encoder}, {@link LayerNorm}, {@link Linear} and
 * {@link Attention}'s three steps), so the numbers are those {@link Gpt#forward} computes for the
 * same window (AttentionStepsTest checks them against its trace). Positions after t are never read:
 * their keys are not needed, which is what the mask says.
 */
public final class AttentionSteps {
    /** n_embd of {@link #tinyModel}: few enough channels to read every number. */
    public static final int TINY_CHANNELS = 8;
    /** n_head of {@link #tinyModel}: two heads of 4, so a learner sees that heads split the channels. */
    public static final int TINY_HEADS = 2;
    /** The block of {@link #tinyModel}: the longest text it reads. */
    public static final int MAX_TEXT = 16;

    /** A named vector (one row) or matrix, rows x columns, row-major. */
    public record Tensor(String name, int rows, int columns, double[] values) {
        public Tensor {
            if (values.length != rows * columns) throw new IllegalArgumentException(name + ": " + values.length + " values for " + rows + "x" + columns);
        }
    }

    /** One stage of the computation and what it produced, in order. */
    public record Stage(String id, List<Tensor> tensors) {
        public Stage {
            tensors = List.copyOf(tensors);
        }

        /** The tensor of this name; throws when the stage has none. */
        public Tensor tensor(String name) {
            for (Tensor t : tensors) if (t.name().equals(name)) return t;
            throw new IllegalArgumentException("stage " + id + " has no tensor " + name);
        }
    }

    private final Gpt model;
    private final int[] symbols;
    private final int position;
    private final int head;
    private final List<Stage> stages;

    /**
     * Runs the stages for position t of the window {@code symbols} (vocabulary indices), head h,
     * in the first block of the model.
     */
    public AttentionSteps(Gpt model, int[] symbols, int position, int head) {
        if (symbols.length < 1 || symbols.length > model.contextLimit()) {
            throw new IllegalArgumentException("the window must hold 1 to " + model.contextLimit() + " symbols, got " + symbols.length);
        }
        if (position < 0 || position >= symbols.length) {
            throw new IllegalArgumentException("the position must be 0 to " + (symbols.length - 1) + ", got " + position);
        }
        if (head < 0 || head >= model.heads()) {
            throw new IllegalArgumentException("the head must be 0 to " + (model.heads() - 1) + ", got " + head);
        }
        this.model = model;
        this.symbols = symbols.clone();
        this.position = position;
        this.head = head;
        this.stages = Collections.unmodifiableList(run());
    }

    /**
     * A fresh model ({@link #TINY_CHANNELS} channels, {@link #TINY_HEADS} heads, one block of
     * {@link #MAX_TEXT} positions, no biases as the shipped GPT; nanoGPT's initialisation from
     * {@code seed}) over the symbols of {@code text}, at position t, head h.
     */
    public static AttentionSteps tinyModel(String text, long seed, int position, int head) {
        int length = text.codePointCount(0, text.length());
        if (length < 1 || length > MAX_TEXT) {
            throw new IllegalArgumentException("the text must have 1 to " + MAX_TEXT + " symbols, got " + length);
        }
        Vocab vocab = Vocab.of(text);
        Gpt model = new Gpt(vocab, Architecture.gpt(TINY_CHANNELS, 1, TINY_HEADS, MAX_TEXT, false), false).initialize(seed);
        return new AttentionSteps(model, vocab.encode(text).ids(), position, head);
    }

    private List<Stage> run() {
        int c = model.channels(), nh = model.heads(), hs = c / nh, n = position + 1, t = position;
        int stride = 3 * c;
        BlockParams block = model.blocks[0];
        List<Stage> out = new ArrayList<>();

        // embed: every position up to t (the earlier ones are needed for their keys and values)
        int[] positions = new int[n];
        for (int j = 0; j < n; j++) positions[j] = j;
        double[] x = new double[n * c];                      // (n, C)
        Encoder.forward(x, Arrays.copyOf(symbols, n), positions, model.wte.w, model.wpe.w, c);
        out.add(new Stage("embed", List.of(
                vector("tokenEmbedding", model.wte.w, symbols[t] * c, c),
                vector("positionEmbedding", model.wpe.w, t * c, c),
                vector("x", x, t * c, c))));

        double[] ln = new double[n * c], mean = new double[n], rstd = new double[n];
        LayerNorm.forward(ln, mean, rstd, x, block.ln1Weight.w, w(block.ln1Bias), n, c);
        out.add(new Stage("layernorm", List.of(
                vector("mean", mean, t, 1), vector("rstd", rstd, t, 1), vector("ln", ln, t * c, c))));

        double[] qkv = new double[n * stride];               // (n, 3C): q, k, v side by side
        Linear.forward(qkv, ln, block.attnWeight.w, w(block.attnBias), n, c, stride);
        int query = t * stride + head * hs, firstKey = c + head * hs, firstValue = 2 * c + head * hs;
        out.add(new Stage("qkv", List.of(vector("q", qkv, query, hs),
                rows("k", qkv, firstKey, stride, n, hs), rows("v", qkv, firstValue, stride, n, hs))));

        double[] scores = new double[n];
        Attention.scores(qkv, query, qkv, firstKey, stride, n, hs, scores, 0);
        out.add(new Stage("scores", List.of(vector("scores", scores, 0, n))));

        // the whole window's row as a full forward pass sees it: the later positions masked
        double[] masked = new double[symbols.length];
        Arrays.fill(masked, Double.NEGATIVE_INFINITY);
        System.arraycopy(scores, 0, masked, 0, n);
        out.add(new Stage("mask", List.of(vector("masked", masked, 0, masked.length))));

        double[] weights = new double[symbols.length];       // 0 after t: exp(-infinity)
        System.arraycopy(scores, 0, weights, 0, n);
        Attention.softmax(weights, 0, n);
        out.add(new Stage("softmax", List.of(vector("weights", weights, 0, weights.length))));

        double[] mixed = new double[hs];
        Attention.weightedSum(weights, 0, null, qkv, firstValue, stride, n, hs, mixed, 0);
        out.add(new Stage("mix", List.of(vector("headOutput", mixed, 0, hs))));

        // every head as the block runs it (this head's output again among them), then c_proj
        double[] heads = new double[c], scratch = new double[n], projected = new double[c];
        for (int h = 0; h < nh; h++) {
            Attention.attend(qkv, t * stride + h * hs, qkv, c + h * hs, qkv, 2 * c + h * hs, stride, n, hs, scratch, 0, null, heads, h * hs);
        }
        Linear.forward(projected, heads, block.attnProjWeight.w, w(block.attnProjBias), 1, c, c);
        out.add(new Stage("project", List.of(vector("heads", heads, 0, c), vector("projected", projected, 0, c))));

        double[] residual = new double[c];
        for (int i = 0; i < c; i++) residual[i] = x[t * c + i] + projected[i];
        out.add(new Stage("residual", List.of(vector("residual", residual, 0, c))));
        return out;
    }

    /** The stages in order: embed, layernorm, qkv, scores, mask, softmax, mix, project, residual. */
    public List<Stage> stages() {
        return stages;
    }

    public Stage stage(String id) {
        for (Stage s : stages) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("no stage " + id);
    }

    public Gpt model() {
        return model;
    }

    public int position() {
        return position;
    }

    public int head() {
        return head;
    }

    public int heads() {
        return model.heads();
    }

    public int channels() {
        return model.channels();
    }

    /** The window's symbols as vocabulary indices. */
    public int[] symbols() {
        return symbols.clone();
    }

    private static Tensor vector(String name, double[] from, int offset, int length) {
        return new Tensor(name, 1, length, Arrays.copyOfRange(from, offset, offset + length));
    }

    /** count rows of width values each, row j at offset + j*stride. */
    private static Tensor rows(String name, double[] from, int offset, int stride, int count, int width) {
        double[] values = new double[count * width];
        for (int j = 0; j < count; j++) System.arraycopy(from, offset + j * stride, values, j * width, width);
        return new Tensor(name, count, width, values);
    }
}
