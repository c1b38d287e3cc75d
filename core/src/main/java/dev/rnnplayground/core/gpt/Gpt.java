package dev.rnnplayground.core.gpt;

import static dev.rnnplayground.core.gpt.BlockParams.dw;
import static dev.rnnplayground.core.gpt.BlockParams.w;

import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.CrossEntropy;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.util.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A character-level GPT, nanoGPT's {@code GPT} written out in float64 with its backward pass
 * beside the forward (as llm.c's {@code train_gpt2.c}): C = n_embd channels, L = n_layer blocks,
 * NH = n_head heads, a block of T positions, V symbols:
 * <pre>
 *   x   = drop(wte[token] + wpe[position])                              (B, T, C)
 *   for each block:
 *     x = x + drop(c_proj(attention(c_attn(ln_1(x)))))                   causal, NH heads
 *     x = x + drop(c_proj(gelu(c_fc(ln_2(x)))))                          the MLP, 4C wide
 *   logits = ln_f(x) wte^T                                                (B, T, V), lm_head tied to wte
 *   loss   = mean cross-entropy of the logits against the next symbols
 * </pre>
 * Parameters carry nanoGPT's names, shapes and order ({@code transformer.wte.weight} ...
 * {@code transformer.ln_f.bias}; {@code lm_head.weight} is wte itself, so it is not stored twice), so
 * a model file loads into nanoGPT's {@code GPT} with {@code strict=False}.
 *
 * <p>It carries nothing from one training window to the next. It writes with a key/value cache
 * ({@link KeyValueCache}): each new character costs one position. When the cache is full (a block
 * of positions) and a character comes, the model keeps the last T/2 characters, recomputes their
 * keys and values from position 0 and goes on: the model never reads more than its block, and
 * refills only every T/2 characters.
 */
public final class Gpt implements LanguageModel, Attending {
    public static final int MAX_LAYERS = 12;
    public static final int MAX_HEADS = 64;
    public static final int MAX_BLOCK_SIZE = 4096;
    /** nanoGPT's std of every Linear and Embedding weight at the start. */
    static final double INIT_STD = 0.02;

    private final Vocab vocab;
    private final Architecture architecture;
    private final boolean withGradients;
    final Param wte;               // (V, C) token embeddings, also the lm_head
    final Param wpe;               // (T, C) position embeddings
    final BlockParams[] blocks;    // [L]
    final Param lnfWeight;         // (C)
    final Param lnfBias;           // (C) or null
    private final List<Param> params;

    /**
     * @param architecture GPT's shape: hidden = n_embd, layers = n_layer, heads = n_head,
     *                     blockSize = block_size, bias
     * @param withGradients false for a model that only writes: no gradient buffers
     */
    public Gpt(Vocab vocab, Architecture architecture, boolean withGradients) {
        int c = architecture.hidden(), nh = architecture.heads();
        if (architecture.kind() != CellType.GPT) throw new IllegalArgumentException("not a gpt: " + architecture);
        if (vocab.size() < 1) throw new IllegalArgumentException("vocabulary is empty");
        if (c < 1 || nh < 1 || nh > MAX_HEADS || c % nh != 0) {
            throw new IllegalArgumentException("heads must divide hidden (n_embd): " + nh + " heads, " + c + " channels");
        }
        if (architecture.layers() < 1 || architecture.layers() > MAX_LAYERS) {
            throw new IllegalArgumentException("layers must be 1 to " + MAX_LAYERS + ", got " + architecture.layers());
        }
        if (architecture.blockSize() < 1 || architecture.blockSize() > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size must be 1 to " + MAX_BLOCK_SIZE + ", got " + architecture.blockSize());
        }
        this.vocab = vocab;
        this.architecture = architecture;
        this.withGradients = withGradients;
        List<Param> all = new ArrayList<>();
        wte = Param.matrix("transformer.wte.weight", vocab.size(), c, withGradients);
        wpe = Param.matrix("transformer.wpe.weight", architecture.blockSize(), c, withGradients);
        all.add(wte);
        all.add(wpe);
        blocks = new BlockParams[architecture.layers()];
        for (int l = 0; l < blocks.length; l++) {
            blocks[l] = new BlockParams(l, c, architecture.bias(), withGradients);
            all.addAll(blocks[l].all());
        }
        lnfWeight = Param.vector("transformer.ln_f.weight", c, withGradients);
        lnfBias = architecture.bias() ? Param.vector("transformer.ln_f.bias", c, withGradients) : null;
        all.add(lnfWeight);
        if (lnfBias != null) all.add(lnfBias);
        params = Collections.unmodifiableList(all);
    }

    /** The names and shapes of a GPT's tensors, in order, without building it (for the file reader). */
    public static Map<String, int[]> tensorShapes(Architecture architecture, int vocabSize) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int c = architecture.hidden();
        shapes.put("transformer.wte.weight", new int[] {vocabSize, c});
        shapes.put("transformer.wpe.weight", new int[] {architecture.blockSize(), c});
        for (int l = 0; l < architecture.layers(); l++) {
            String p = "transformer.h." + l + ".";
            boolean b = architecture.bias();
            shapes.put(p + "ln_1.weight", new int[] {c});
            if (b) shapes.put(p + "ln_1.bias", new int[] {c});
            shapes.put(p + "attn.c_attn.weight", new int[] {3 * c, c});
            if (b) shapes.put(p + "attn.c_attn.bias", new int[] {3 * c});
            shapes.put(p + "attn.c_proj.weight", new int[] {c, c});
            if (b) shapes.put(p + "attn.c_proj.bias", new int[] {c});
            shapes.put(p + "ln_2.weight", new int[] {c});
            if (b) shapes.put(p + "ln_2.bias", new int[] {c});
            shapes.put(p + "mlp.c_fc.weight", new int[] {4 * c, c});
            if (b) shapes.put(p + "mlp.c_fc.bias", new int[] {4 * c});
            shapes.put(p + "mlp.c_proj.weight", new int[] {c, 4 * c});
            if (b) shapes.put(p + "mlp.c_proj.bias", new int[] {c});
        }
        shapes.put("transformer.ln_f.weight", new int[] {c});
        if (architecture.bias()) shapes.put("transformer.ln_f.bias", new int[] {c});
        return shapes;
    }

    /**
     * nanoGPT's {@code _init_weights}: every Linear and Embedding weight from N(0, 0.02^2), the
     * two c_proj weights that add into the residual stream from N(0, (0.02/sqrt(2L))^2) (GPT-2's
     * scaling, so the stream's variance does not grow with depth), biases 0, LayerNorm weights 1.
     * Drawn in parameter order from one {@link SplitMix64}.
     */
    public Gpt initialize(long seed) {
        initialize(params, blocks.length, seed);
        return this;
    }

    /**
     * {@link #initialize(long)}'s rule for any list of parameters named as nanoGPT names them, in a
     * model of {@code layers} blocks: the ablated models of core's lab (the ladder from bigram to GPT)
     * start the way this GPT does.
     */
    public static void initialize(List<Param> params, int layers, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        double projStd = INIT_STD / Math.sqrt(2.0 * layers);
        for (Param p : params) {
            if (p.name.endsWith("c_proj.weight")) p.normal(rng, projStd);
            else if (p.name.contains("ln_") && p.name.endsWith(".weight")) p.fill(1);
            else if (p.name.endsWith(".bias")) p.fill(0);
            else p.normal(rng, INIT_STD);
        }
    }

    @Override public CellType kind() { return CellType.GPT; }
    @Override public Vocab vocab() { return vocab; }
    @Override public List<Param> parameters() { return params; }
    @Override public boolean hasGradients() { return withGradients; }
    @Override public Map<String, String> shape() { return architecture.shape(); }
    public Architecture architecture() { return architecture; }
    int channels() { return architecture.hidden(); }
    int layerCount() { return blocks.length; }
    int heads() { return architecture.heads(); }

    /** The block size: the most positions the model reads at once. */
    @Override
    public int contextLimit() {
        return architecture.blockSize();
    }

    @Override
    public Gpt copy() {
        Gpt c = new Gpt(vocab, architecture, true);
        for (int i = 0; i < params.size(); i++) System.arraycopy(params.get(i).w, 0, c.params.get(i).w, 0, params.get(i).w.length);
        return c;
    }

    /** Nothing carried between training windows; while writing, the key/value cache (empty until used). */
    @Override
    public KeyValueCache zeroState(int batch) {
        return new KeyValueCache(this);
    }

    @Override
    public GptTrace newTrace(int steps, int batch) {
        if (steps > contextLimit()) {
            throw new IllegalArgumentException("a window of " + steps + " positions is longer than the block of " + contextLimit());
        }
        return new GptTrace(this, steps, batch);
    }

    /** Forward over B windows of T positions, each read from its start; {@code state} is not used. */
    @Override
    public void forward(int[][] inputs, CarriedState state, Trace trace) {
        GptTrace tr = (GptTrace) trace;
        int steps = tr.steps, rows = tr.batch * steps, c = channels(), nh = heads();
        if (inputs.length != tr.batch) throw new IllegalArgumentException("batch size mismatch");
        for (int b = 0; b < tr.batch; b++) {
            if (inputs[b].length != steps) throw new IllegalArgumentException("window length mismatch");
            System.arraycopy(inputs[b], 0, tr.tokens, b * steps, steps);
        }
        Encoder.forward(tr.encoded, tr.tokens, tr.positions, wte.w, wpe.w, c);
        if (tr.dropout()) scale(tr.encoded, tr.embeddingKeep);
        for (int l = 0; l < blocks.length; l++) {
            BlockParams p = blocks[l];
            double[] residual = l == 0 ? tr.encoded : tr.residual3[l - 1];
            // attention: x + drop(c_proj(attention(c_attn(ln_1(x)))))
            LayerNorm.forward(tr.ln1[l], tr.ln1Mean[l], tr.ln1Rstd[l], residual, p.ln1Weight.w, w(p.ln1Bias), rows, c);
            Linear.forward(tr.qkv[l], tr.ln1[l], p.attnWeight.w, w(p.attnBias), rows, c, 3 * c);
            Attention.forward(tr.attnOut[l], tr.probs[l], tr.qkv[l], tr.dropout() ? tr.probsKeep[l] : null, tr.batch, steps, c, nh);
            Linear.forward(tr.attnProj[l], tr.attnOut[l], p.attnProjWeight.w, w(p.attnProjBias), rows, c, c);
            if (tr.dropout()) scale(tr.attnProj[l], tr.attnProjKeep[l]);
            add(tr.residual2[l], residual, tr.attnProj[l]);
            // MLP: x + drop(c_proj(gelu(c_fc(ln_2(x)))))
            LayerNorm.forward(tr.ln2[l], tr.ln2Mean[l], tr.ln2Rstd[l], tr.residual2[l], p.ln2Weight.w, w(p.ln2Bias), rows, c);
            Linear.forward(tr.fc[l], tr.ln2[l], p.fcWeight.w, w(p.fcBias), rows, c, 4 * c);
            Gelu.forward(tr.fcGelu[l], tr.fc[l], rows * 4 * c);
            Linear.forward(tr.fcProj[l], tr.fcGelu[l], p.fcProjWeight.w, w(p.fcProjBias), rows, 4 * c, c);
            if (tr.dropout()) scale(tr.fcProj[l], tr.fcProjKeep[l]);
            add(tr.residual3[l], tr.residual2[l], tr.fcProj[l]);
        }
        double[] top = tr.residual3[blocks.length - 1];
        LayerNorm.forward(tr.lnf, tr.lnfMean, tr.lnfRstd, top, lnfWeight.w, w(lnfBias), rows, c);
        Linear.forward(tr.logits, tr.lnf, wte.w, null, rows, c, vocab.size());   // lm_head, tied to wte
    }

    /** Mean cross-entropy of every position's logits against targets[b][t]; writes dLoss/dlogits. */
    @Override
    public double loss(Trace trace, int[][] targets) {
        GptTrace tr = (GptTrace) trace;
        int[] rows = new int[tr.batch * tr.steps];
        for (int b = 0; b < tr.batch; b++) System.arraycopy(targets[b], 0, rows, b * tr.steps, tr.steps);
        return CrossEntropy.lossAndGradient(tr.logits, rows, vocab.size(), tr.dLogits);
    }

    /** Backward from the trace's dLoss/dlogits, forward's steps undone in reverse; accumulates every dw. */
    @Override
    public void backward(Trace trace) {
        requireGradients();
        GptTrace tr = (GptTrace) trace;
        int steps = tr.steps, rows = tr.batch * steps, c = channels(), nh = heads();
        double[] dResidual = tr.dResidual, dBranch = tr.dBranch;
        // lm_head (its gradient adds into wte's) and ln_f
        Arrays.fill(dBranch, 0);
        Linear.backward(dBranch, wte.dw, null, tr.dLogits, tr.lnf, wte.w, rows, c, vocab.size());
        Arrays.fill(dResidual, 0);
        double[] top = tr.residual3[blocks.length - 1];
        LayerNorm.backward(dResidual, lnfWeight.dw, dw(lnfBias), dBranch, top, lnfWeight.w, tr.lnfMean, tr.lnfRstd, rows, c);
        for (int l = blocks.length - 1; l >= 0; l--) {
            BlockParams p = blocks[l];
            double[] residual = l == 0 ? tr.encoded : tr.residual3[l - 1];
            // dResidual holds dLoss/d(the block's output); a residual add passes it to both inputs
            copyScaled(dBranch, dResidual, tr.dropout() ? tr.fcProjKeep[l] : null);
            Arrays.fill(tr.dFcGelu, 0);
            Linear.backward(tr.dFcGelu, p.fcProjWeight.dw, dw(p.fcProjBias), dBranch, tr.fcGelu[l], p.fcProjWeight.w, rows, 4 * c, c);
            Arrays.fill(tr.dFc, 0);
            Gelu.backward(tr.dFc, tr.fc[l], tr.dFcGelu, rows * 4 * c);
            Arrays.fill(dBranch, 0);
            Linear.backward(dBranch, p.fcWeight.dw, dw(p.fcBias), tr.dFc, tr.ln2[l], p.fcWeight.w, rows, c, 4 * c);
            LayerNorm.backward(dResidual, p.ln2Weight.dw, dw(p.ln2Bias), dBranch, tr.residual2[l], p.ln2Weight.w,
                    tr.ln2Mean[l], tr.ln2Rstd[l], rows, c);
            // dResidual now holds dLoss/d(residual2): into the attention branch
            copyScaled(dBranch, dResidual, tr.dropout() ? tr.attnProjKeep[l] : null);
            Arrays.fill(tr.dAttnOut, 0);
            Linear.backward(tr.dAttnOut, p.attnProjWeight.dw, dw(p.attnProjBias), dBranch, tr.attnOut[l], p.attnProjWeight.w, rows, c, c);
            Arrays.fill(tr.dQkv, 0);
            Attention.backward(tr.dQkv, tr.dAttnOut, tr.qkv[l], tr.probs[l], tr.dropout() ? tr.probsKeep[l] : null, tr.dProbs,
                    tr.batch, steps, c, nh);
            Arrays.fill(dBranch, 0);
            Linear.backward(dBranch, p.attnWeight.dw, dw(p.attnBias), tr.dQkv, tr.ln1[l], p.attnWeight.w, rows, c, 3 * c);
            LayerNorm.backward(dResidual, p.ln1Weight.dw, dw(p.ln1Bias), dBranch, residual, p.ln1Weight.w,
                    tr.ln1Mean[l], tr.ln1Rstd[l], rows, c);
        }
        copyScaled(dBranch, dResidual, tr.dropout() ? tr.embeddingKeep : null);
        Encoder.backward(wte.dw, wpe.dw, dBranch, tr.tokens, tr.positions, c);
    }

    /**
     * A GPT cannot predict before it has read anything: nanoGPT always starts from a prompt, and
     * position 0's prediction depends on the symbol there. Without one, every symbol is equally
     * likely (all logits 0), so a writer with no prompt draws its first symbol uniformly.
     */
    @Override
    public double[] logitsBeforeAnyInput() {
        return new double[vocab.size()];
    }

    /** A one-position trace for writing: the buffers one new character needs. */
    @Override
    public WritingTrace newStepTrace() {
        return new WritingTrace(this);
    }

    /**
     * The writing path: reads one symbol at the next position of the cache and returns the
     * next-symbol logits (V). When the cache already holds a block of positions it first keeps
     * the last blockSize/2 symbols and recomputes their keys and values from position 0.
     */
    @Override
    public double[] step(int symbol, CarriedState state, Trace scratch) {
        KeyValueCache cache = (KeyValueCache) state;
        WritingTrace w = scratch instanceof WritingTrace t ? t : new WritingTrace(this);
        int block = contextLimit();
        if (cache.count == block) {
            int[] kept = Arrays.copyOfRange(cache.symbols, block - block / 2, block);
            cache.count = 0;
            for (int s : kept) readOnePosition(s, cache, w);
        }
        readOnePosition(symbol, cache, w);
        return w.logits.clone();
    }

    /** Forward for one symbol at position cache.count, its key and value added to the cache. */
    private void readOnePosition(int symbol, KeyValueCache cache, WritingTrace w) {
        int c = channels(), nh = heads(), hs = c / nh, position = cache.count;
        cache.ensureAllocated();
        Encoder.forward(w.x, new int[] {symbol}, new int[] {position}, wte.w, wpe.w, c);
        for (int l = 0; l < blocks.length; l++) {
            BlockParams p = blocks[l];
            LayerNorm.forward(w.ln, w.mean, w.rstd, w.x, p.ln1Weight.w, w(p.ln1Bias), 1, c);
            Linear.forward(w.qkv, w.ln, p.attnWeight.w, w(p.attnBias), 1, c, 3 * c);
            System.arraycopy(w.qkv, c, cache.keys[l], position * c, c);
            System.arraycopy(w.qkv, 2 * c, cache.values[l], position * c, c);
            for (int h = 0; h < nh; h++) {
                Attention.attend(w.qkv, h * hs, cache.keys[l], h * hs, cache.values[l], h * hs, c, position + 1, hs,
                        w.probs, (l * nh + h) * contextLimit(), null, w.attnOut, h * hs);
            }
            Linear.forward(w.proj, w.attnOut, p.attnProjWeight.w, w(p.attnProjBias), 1, c, c);
            add(w.x, w.x, w.proj);
            LayerNorm.forward(w.ln, w.mean, w.rstd, w.x, p.ln2Weight.w, w(p.ln2Bias), 1, c);
            Linear.forward(w.fc, w.ln, p.fcWeight.w, w(p.fcBias), 1, c, 4 * c);
            Gelu.forward(w.fcGelu, w.fc, 4 * c);
            Linear.forward(w.proj, w.fcGelu, p.fcProjWeight.w, w(p.fcProjBias), 1, 4 * c, c);
            add(w.x, w.x, w.proj);
        }
        LayerNorm.forward(w.ln, w.mean, w.rstd, w.x, lnfWeight.w, w(lnfBias), 1, c);
        Linear.forward(w.logits, w.ln, wte.w, null, 1, c, vocab.size());
        cache.symbols[position] = symbol;
        cache.count = position + 1;
    }

    // ---- what the attention looks at (the page's attention view) -----------------------------

    @Override public int attentionLayers() { return blocks.length; }
    @Override public int attentionHeads() { return heads(); }

    /**
     * Every layer's and head's weights of the position {@link #step} read last, over the positions
     * its key/value cache held then (oldest first): after a refill only the last blockSize/2
     * characters and those read since, re-read from position 0.
     */
    @Override
    public AttentionWeights lastAttention(CarriedState state, Trace stepTrace) {
        KeyValueCache cache = (KeyValueCache) state;
        WritingTrace w = (WritingTrace) stepTrace;
        int positions = cache.count, everyHead = blocks.length * heads();
        if (positions == 0) return null;
        double[] weights = new double[everyHead * positions];
        for (int lh = 0; lh < everyHead; lh++) System.arraycopy(w.probs, lh * contextLimit(), weights, lh * positions, positions);
        return new AttentionWeights(blocks.length, heads(), positions, 0, weights);
    }

    /**
     * The causal matrix of one head over at most a block of symbols: training's forward over them
     * from position 0 (as the cache reads what it holds), cut to its last {@code window} rows and
     * columns. For the text a writer has written, pass the characters its cache holds
     * ({@link AttentionWeights#positions()} of the last attention): its last row is then that attention.
     */
    @Override
    public double[] attentionMatrix(int[] symbols, int layer, int head, int window) {
        checkHead(layer, head);
        int steps = symbols.length;
        if (steps < 1 || window < 1) throw new IllegalArgumentException("no symbols, or a window below 1");
        if (steps > contextLimit()) {
            throw new IllegalArgumentException("a gpt reads at most its block of " + contextLimit() + " symbols, got " + steps);
        }
        GptTrace trace = newTrace(steps, 1);
        forward(new int[][] {symbols}, zeroState(1), trace);
        int shown = Math.min(window, steps), first = steps - shown;
        double[] matrix = new double[shown * shown];
        for (int i = 0; i < shown; i++) {
            System.arraycopy(trace.probs[layer], (head * steps + first + i) * steps + first, matrix, i * shown, shown);
        }
        return matrix;
    }

    /** out = a + b, elementwise (a residual add); out may be a. */
    private static void add(double[] out, double[] a, double[] b) {
        for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i];
    }

    /** x *= keep elementwise: dropout with its scale already in keep. */
    private static void scale(double[] x, double[] keep) {
        for (int i = 0; i < x.length; i++) x[i] *= keep[i];
    }

    /** out = in, or in * keep where dropout scaled the forward value (its gradient is scaled alike). */
    private static void copyScaled(double[] out, double[] in, double[] keep) {
        for (int i = 0; i < out.length; i++) out[i] = keep == null ? in[i] : in[i] * keep[i];
    }
}
