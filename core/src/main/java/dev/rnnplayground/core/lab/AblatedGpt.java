package dev.rnnplayground.core.lab;

import dev.rnnplayground.core.gpt.Attention;
import dev.rnnplayground.core.gpt.Encoder;
import dev.rnnplayground.core.gpt.Gelu;
import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.gpt.Linear;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.CrossEntropy;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.model.Vocab;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our GPT ({@link Gpt}) with parts taken out, for the middle rungs of the ablation ladder
 * ({@link LadderRung}): experiment code, not a model family, so the shipped GPT needs no switches.
 * Built from the GPT's own kernels ({@link Encoder}, {@link Attention}, {@link Linear},
 * {@link Gelu}), with C channels, NH heads, L layers, a block of T positions, V symbols and no
 * LayerNorm anywhere:
 * <pre>
 *   x = wte[token] + wpe[position]                                      (B, T, C)
 *   for each of the L layers:
 *     a = attention(c_attn(x))              without residual: the heads' output replaces x
 *     a = x + c_proj(attention(c_attn(x)))  with residual: a projection back into the stream, added
 *     x = c_proj(gelu(c_fc(a)))             the MLP, 4C wide, when it has one (+ a with residual)
 *   logits = x wte^T                                                    (B, T, V), tied to wte as in Gpt
 * </pre>
 * The parameters carry nanoGPT's names ({@code transformer.h.0.attn.c_attn.weight}, ...), and start
 * as the GPT's do ({@link Gpt#initialize(List, int, long)}). It carries nothing between windows and
 * is trained and evaluated, never written with.
 */
public final class AblatedGpt implements LanguageModel {

    /**
     * Which parts it has.
     *
     * @param channels C, the embedding width
     * @param heads    NH, attention heads of C/NH channels each
     * @param mlp      whether each layer has the MLP after its attention
     * @param layers   L, layers stacked
     * @param residual whether each branch (attention, MLP) ends in a projection added to its input
     * @param block    T, the most positions it reads at once
     */
    public record Parts(int channels, int heads, boolean mlp, int layers, boolean residual, int block) {
        public Parts {
            if (channels < 1 || heads < 1 || channels % heads != 0) {
                throw new IllegalArgumentException("heads must divide channels: " + heads + " heads, " + channels + " channels");
            }
            if (layers < 1 || layers > Gpt.MAX_LAYERS) throw new IllegalArgumentException("layers must be 1 to " + Gpt.MAX_LAYERS);
            if (block < 1 || block > Gpt.MAX_BLOCK_SIZE) throw new IllegalArgumentException("block must be 1 to " + Gpt.MAX_BLOCK_SIZE);
        }
    }

    /** One layer's parameters; the projection and the MLP are null where the parts leave them out. */
    private static final class Layer {
        final Param attnWeight;       // (3C, C) c_attn: q, k, v stacked
        final Param attnBias;         // (3C)
        final Param attnProjWeight;   // (C, C) or null without residual
        final Param attnProjBias;     // (C) or null
        final Param fcWeight;         // (4C, C) or null without MLP
        final Param fcBias;           // (4C) or null
        final Param fcProjWeight;     // (C, 4C) or null
        final Param fcProjBias;       // (C) or null

        Layer(int l, Parts parts) {
            String p = "transformer.h." + l + ".";
            int c = parts.channels();
            attnWeight = Param.matrix(p + "attn.c_attn.weight", 3 * c, c);
            attnBias = Param.vector(p + "attn.c_attn.bias", 3 * c);
            attnProjWeight = parts.residual() ? Param.matrix(p + "attn.c_proj.weight", c, c) : null;
            attnProjBias = parts.residual() ? Param.vector(p + "attn.c_proj.bias", c) : null;
            fcWeight = parts.mlp() ? Param.matrix(p + "mlp.c_fc.weight", 4 * c, c) : null;
            fcBias = parts.mlp() ? Param.vector(p + "mlp.c_fc.bias", 4 * c) : null;
            fcProjWeight = parts.mlp() ? Param.matrix(p + "mlp.c_proj.weight", c, 4 * c) : null;
            fcProjBias = parts.mlp() ? Param.vector(p + "mlp.c_proj.bias", c) : null;
        }

        void addTo(List<Param> all) {
            for (Param p : new Param[] {attnWeight, attnBias, attnProjWeight, attnProjBias, fcWeight, fcBias, fcProjWeight, fcProjBias}) {
                if (p != null) all.add(p);
            }
        }
    }

    private final Vocab vocab;
    private final Parts parts;
    private final Param wte;        // (V, C) token embeddings, also the lm_head
    private final Param wpe;        // (T, C) position embeddings
    private final Layer[] layers;   // [L]
    private final List<Param> params;

    public AblatedGpt(Vocab vocab, Parts parts) {
        if (vocab.size() < 1) throw new IllegalArgumentException("vocabulary is empty");
        this.vocab = vocab;
        this.parts = parts;
        List<Param> all = new ArrayList<>();
        wte = Param.matrix("transformer.wte.weight", vocab.size(), parts.channels());
        wpe = Param.matrix("transformer.wpe.weight", parts.block(), parts.channels());
        all.add(wte);
        all.add(wpe);
        layers = new Layer[parts.layers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Layer(l, parts);
            layers[l].addTo(all);
        }
        params = Collections.unmodifiableList(all);
    }

    /** The GPT's initial weights ({@link Gpt#initialize(List, int, long)}). */
    public AblatedGpt initialize(long seed) {
        Gpt.initialize(params, layers.length, seed);
        return this;
    }

    public Parts parts() {
        return parts;
    }

    /** A GPT with parts taken out: the nearest kind there is. */
    @Override public CellType kind() { return CellType.GPT; }
    @Override public Vocab vocab() { return vocab; }
    @Override public List<Param> parameters() { return params; }
    @Override public boolean hasGradients() { return true; }
    @Override public int contextLimit() { return parts.block(); }

    /**
     * Its parts, under a cell name no model file reader accepts: an ablated model is an experiment's,
     * and a file of it must not load as a full GPT.
     */
    @Override
    public Map<String, String> shape() {
        Map<String, String> shape = new LinkedHashMap<>();
        shape.put("cell", "lab-ablated-gpt");
        shape.put("n_embd", Integer.toString(parts.channels()));
        shape.put("n_head", Integer.toString(parts.heads()));
        shape.put("mlp", Boolean.toString(parts.mlp()));
        shape.put("n_layer", Integer.toString(parts.layers()));
        shape.put("residual", Boolean.toString(parts.residual()));
        shape.put("block_size", Integer.toString(parts.block()));
        return shape;
    }

    @Override
    public AblatedGpt copy() {
        AblatedGpt c = new AblatedGpt(vocab, parts);
        for (int i = 0; i < params.size(); i++) System.arraycopy(params.get(i).w, 0, c.params.get(i).w, 0, params.get(i).w.length);
        return c;
    }

    @Override
    public CarriedState zeroState(int batch) {
        return CarriedState.NOTHING;
    }

    @Override
    public Trace newTrace(int steps, int batch) {
        if (steps > parts.block()) {
            throw new IllegalArgumentException("a window of " + steps + " positions is longer than the block of " + parts.block());
        }
        return new AblatedTrace(steps, batch, parts, vocab.size());
    }

    /** Forward over B windows of T positions, each read from its start; {@code state} is not used. */
    @Override
    public void forward(int[][] inputs, CarriedState state, Trace trace) {
        AblatedTrace tr = (AblatedTrace) trace;
        int steps = tr.steps, rows = tr.batch * steps, c = parts.channels();
        if (inputs.length != tr.batch) throw new IllegalArgumentException("batch size mismatch");
        for (int b = 0; b < tr.batch; b++) {
            if (inputs[b].length != steps) throw new IllegalArgumentException("window length mismatch");
            System.arraycopy(inputs[b], 0, tr.tokens, b * steps, steps);
        }
        Encoder.forward(tr.x[0], tr.tokens, tr.positions, wte.w, wpe.w, c);
        for (int l = 0; l < layers.length; l++) {
            Layer p = layers[l];
            Linear.forward(tr.qkv[l], tr.x[l], p.attnWeight.w, p.attnBias.w, rows, c, 3 * c);
            Attention.forward(tr.attnOut[l], tr.probs[l], tr.qkv[l], null, tr.batch, steps, c, parts.heads());
            if (parts.residual()) {
                Linear.forward(tr.attnProj[l], tr.attnOut[l], p.attnProjWeight.w, p.attnProjBias.w, rows, c, c);
                add(tr.afterAttention[l], tr.x[l], tr.attnProj[l]);
            }
            if (!parts.mlp()) continue;
            Linear.forward(tr.fc[l], tr.afterAttention[l], p.fcWeight.w, p.fcBias.w, rows, c, 4 * c);
            Gelu.forward(tr.fcGelu[l], tr.fc[l], rows * 4 * c);
            Linear.forward(tr.fcProj[l], tr.fcGelu[l], p.fcProjWeight.w, p.fcProjBias.w, rows, 4 * c, c);
            if (parts.residual()) add(tr.x[l + 1], tr.afterAttention[l], tr.fcProj[l]);
        }
        Linear.forward(tr.logits, tr.x[layers.length], wte.w, null, rows, c, vocab.size());   // lm_head, tied to wte
    }

    /** Mean cross-entropy of every position's logits against targets[b][t]; writes dLoss/dlogits. */
    @Override
    public double loss(Trace trace, int[][] targets) {
        AblatedTrace tr = (AblatedTrace) trace;
        int[] rows = new int[tr.batch * tr.steps];
        for (int b = 0; b < tr.batch; b++) System.arraycopy(targets[b], 0, rows, b * tr.steps, tr.steps);
        return CrossEntropy.lossAndGradient(tr.logits, rows, vocab.size(), tr.dLogits);
    }

    /**
     * Backward from dLoss/dlogits, forward's steps undone in reverse. {@code dStream} holds dLoss/d
     * of the stream where backward has got to; a residual add hands it to both of its inputs, a
     * layer without one hands it only to its branch.
     */
    @Override
    public void backward(Trace trace) {
        AblatedTrace tr = (AblatedTrace) trace;
        int rows = tr.batch * tr.steps, c = parts.channels();
        double[] dStream = tr.dStream, dBelow = tr.dBelow;
        Arrays.fill(dStream, 0);
        Linear.backward(dStream, wte.dw, null, tr.dLogits, tr.x[layers.length], wte.w, rows, c, vocab.size());
        for (int l = layers.length - 1; l >= 0; l--) {
            Layer p = layers[l];
            if (parts.mlp()) {   // dStream: dLoss/d(the layer's output) -> dLoss/d(afterAttention)
                Arrays.fill(tr.dFcGelu, 0);
                Linear.backward(tr.dFcGelu, p.fcProjWeight.dw, p.fcProjBias.dw, dStream, tr.fcGelu[l], p.fcProjWeight.w, rows, 4 * c, c);
                Arrays.fill(tr.dFc, 0);
                Gelu.backward(tr.dFc, tr.fc[l], tr.dFcGelu, rows * 4 * c);
                startBelow(dBelow, dStream);
                Linear.backward(dBelow, p.fcWeight.dw, p.fcBias.dw, tr.dFc, tr.afterAttention[l], p.fcWeight.w, rows, c, 4 * c);
                double[] swap = dStream; dStream = dBelow; dBelow = swap;
            }
            // dStream: dLoss/d(afterAttention) -> dLoss/d(the layer's input x)
            double[] dAttnOut = dStream;
            if (parts.residual()) {
                Arrays.fill(tr.dAttnOut, 0);
                Linear.backward(tr.dAttnOut, p.attnProjWeight.dw, p.attnProjBias.dw, dStream, tr.attnOut[l], p.attnProjWeight.w, rows, c, c);
                dAttnOut = tr.dAttnOut;
            }
            Arrays.fill(tr.dQkv, 0);
            Attention.backward(tr.dQkv, dAttnOut, tr.qkv[l], tr.probs[l], null, tr.dProbs, tr.batch, tr.steps, c, parts.heads());
            startBelow(dBelow, dStream);
            Linear.backward(dBelow, p.attnWeight.dw, p.attnBias.dw, tr.dQkv, tr.x[l], p.attnWeight.w, rows, c, 3 * c);
            double[] swap = dStream; dStream = dBelow; dBelow = swap;
        }
        Encoder.backward(wte.dw, wpe.dw, dStream, tr.tokens, tr.positions, c);
    }

    /**
     * The gradient below a branch starts as the gradient above it when a residual add passes it
     * straight through, and at zero when the branch's output replaced its input.
     */
    private void startBelow(double[] below, double[] above) {
        if (parts.residual()) System.arraycopy(above, 0, below, 0, above.length);
        else Arrays.fill(below, 0);
    }

    /** Before any symbol there is nothing to attend to: the uniform guess. */
    @Override
    public double[] logitsBeforeAnyInput() {
        return new double[vocab.size()];
    }

    /** A ladder rung is trained and evaluated on whole windows, never written with one symbol at a time. */
    @Override
    public double[] step(int symbol, CarriedState state, Trace scratch) {
        throw new UnsupportedOperationException("an ablated GPT of the ladder is trained and evaluated, not written with");
    }

    /** out = a + b, elementwise (a residual add). */
    private static void add(double[] out, double[] a, double[] b) {
        for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i];
    }
}
