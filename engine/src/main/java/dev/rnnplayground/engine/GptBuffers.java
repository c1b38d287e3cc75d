package dev.rnnplayground.engine;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Everything one forward and backward pass of {@link FloatGpt} over windows of up to T positions
 * of B streams keeps, rows stream-major (row b*T + t, N = B*T rows). Matrices OpenBLAS reads or
 * writes are native ({@link FloatArray}); what only elementwise code touches (the residual
 * stream, LayerNorm statistics, GELU's input) is in Java arrays, where HotSpot vectorises the
 * loops. Made once per window shape (one per training thread, one for evaluation) and reused:
 * nothing is allocated in a step.
 *
 * <p>When training splits the batch across threads, each thread's buffers cover streams
 * {@code first .. first+batch-1} of the whole batch, and all but the first accumulate their
 * gradients into arrays of their own ({@link #grads}), added to the parameters' afterwards.
 */
final class GptBuffers {
    final int maxSteps;            // T
    final int batch;               // B: this group's streams
    final int first;               // the first of them in the whole batch
    int steps;                     // the positions of the last forward pass
    final int[] tokens;            // [N]
    final int[] targets;           // [N]
    final float[][] residual;      // L+1 of (N, C): block l's input; the last is ln_f's input
    final Block[] blocks;
    final float[] embeddingKeep;   // (N, C) dropout on the embeddings (null without dropout)
    final double[] maskScratch;    // core's masks as drawn, before they become floats
    boolean dropoutUsed;           // whether the last forward pass dropped
    final float[] finalMean;       // (N) ln_f's statistics
    final float[] finalRstd;
    final FloatArray finalNormed;  // (N, C) ln_f's output, the lm_head's input
    final FloatArray logits;       // (N, V)
    final float[] scores;          // (N, V) the logits, then dLoss/dlogits
    // scratch
    final float[] rows;            // (N, 4C) an elementwise pass's values
    final float[] rows2;           // (N, C) a second one, where a pass reads two
    final float[] wideScratch;     // (N, 4C) GELU's backward's scratch (training only)
    final float[] headScores;      // (T, T)
    final float[] headGrads;       // (T, T)
    final FloatArray sum;          // (N, C) a residual sum being formed
    final float[] normGamma;       // (C) a LayerNorm's weight and bias, read for a pass
    final float[] normBeta;
    // training only (null otherwise)
    final float[] dx;              // (N, C) dLoss/d(the residual stream) at the current block
    final FloatArray dStream;      // (N, C) the same, native, for the products
    final FloatArray dNormed;      // (N, C) dLoss/d(a LayerNorm's output)
    final FloatArray dAttended;    // (N, C) dLoss/dy, the heads' outputs
    final FloatArray dHidden;      // (N, 4C) dLoss/d(the MLP's hidden layer)
    final FloatArray dQkv;         // (N, 3C)
    final FloatArray dHeadScores;  // (T, T)
    final FloatArray dLogits;      // (N, V)
    final FloatArray ones;         // (N) ones: a bias gradient is 1^T dOut
    final float[] dGamma;          // (C) a LayerNorm's gradients for one pass
    final float[] dBeta;
    final float[] dTokenTable;     // (V, C) the embedding's gradient for one pass
    final float[] dPositionTable;  // (T, C)
    final float[] gradRow;         // (T*C) scratch to add into a native gradient
    /** Where each parameter's gradient accumulates: its own dw, or this group's array. */
    final Map<FloatParam, FloatArray> grads = new IdentityHashMap<>();

    /** What one block keeps for backward. */
    static final class Block {
        final float[] mean1, rstd1;    // (N) ln_1's statistics
        final FloatArray normed1;      // (N, C) ln_1's output, c_attn's input
        final FloatArray qkv;          // (N, 3C)
        final FloatArray attention;    // (B*nh, T, T) the probabilities
        final FloatArray attended;     // (N, C) the heads' outputs side by side, c_proj's input
        final float[] middle;          // (N, C) x after the attention's residual
        final float[] mean2, rstd2;    // (N) ln_2's statistics
        final FloatArray normed2;      // (N, C) ln_2's output, c_fc's input
        final float[] hiddenIn;        // (N, 4C) c_fc's output, GELU's input
        final FloatArray hidden;       // (N, 4C) GELU's output, the MLP c_proj's input
        // dropout (null without): 0 or 1/(1-p) where nanoGPT drops, core's masks (GptTrace.setDropout)
        final float[] attentionKeep;   // (B*nh, T, T) on the probabilities
        final FloatArray keptAttention;  // (B*nh, T, T) the probabilities after dropout, what multiplies v
        final float[] attnProjKeep;    // (N, C) on c_proj's output
        final float[] mlpProjKeep;     // (N, C) on the MLP c_proj's output

        Block(GptShape shape, int n, int batch, int maxSteps, boolean dropout) {
            int c = shape.embd();
            mean1 = new float[n];
            rstd1 = new float[n];
            normed1 = new FloatArray(n * c);
            qkv = new FloatArray(n * 3 * c);
            attention = new FloatArray(batch * shape.heads() * maxSteps * maxSteps);
            attended = new FloatArray(n * c);
            middle = new float[n * c];
            mean2 = new float[n];
            rstd2 = new float[n];
            normed2 = new FloatArray(n * c);
            hiddenIn = new float[n * 4 * c];
            hidden = new FloatArray(n * 4 * c);
            int probabilities = batch * shape.heads() * maxSteps * maxSteps;
            attentionKeep = dropout ? new float[probabilities] : null;
            keptAttention = dropout ? new FloatArray(probabilities) : null;
            attnProjKeep = dropout ? new float[n * c] : null;
            mlpProjKeep = dropout ? new float[n * c] : null;
        }
    }

    GptBuffers(FloatGpt net, int maxSteps, int first, int batch, boolean training, boolean ownGradients) {
        this(net, maxSteps, first, batch, training, false, ownGradients);
    }

    /** With {@code dropout}, room for the masks of a training step (and dropout then applies when asked). */
    GptBuffers(FloatGpt net, int maxSteps, int first, int batch, boolean training, boolean dropout, boolean ownGradients) {
        GptShape shape = net.shape;
        int c = shape.embd(), v = shape.vocabSize(), n = maxSteps * batch;
        this.maxSteps = maxSteps;
        this.batch = batch;
        this.first = first;
        tokens = new int[n];
        targets = new int[n];
        residual = new float[shape.layers() + 1][n * c];
        blocks = new Block[shape.layers()];
        for (int l = 0; l < blocks.length; l++) blocks[l] = new Block(shape, n, batch, maxSteps, dropout);
        embeddingKeep = dropout ? new float[n * c] : null;
        maskScratch = dropout ? new double[Math.max(n * c, batch * shape.heads() * maxSteps * maxSteps)] : null;
        finalMean = new float[n];
        finalRstd = new float[n];
        finalNormed = new FloatArray(n * c);
        logits = new FloatArray(n * v);
        scores = new float[n * v];
        rows = new float[n * 4 * c];
        rows2 = new float[n * c];
        wideScratch = training ? new float[n * 4 * c] : null;
        headScores = new float[maxSteps * maxSteps];
        headGrads = new float[maxSteps * maxSteps];
        sum = new FloatArray(n * c);
        normGamma = new float[c];
        normBeta = new float[c];
        dx = training ? new float[n * c] : null;
        dStream = training ? new FloatArray(n * c) : null;
        dNormed = training ? new FloatArray(n * c) : null;
        dAttended = training ? new FloatArray(n * c) : null;
        dHidden = training ? new FloatArray(n * 4 * c) : null;
        dQkv = training ? new FloatArray(n * 3 * c) : null;
        dHeadScores = training ? new FloatArray(maxSteps * maxSteps) : null;
        dLogits = training ? new FloatArray(n * v) : null;
        ones = training ? new FloatArray(n) : null;
        if (training) for (int i = 0; i < n; i++) ones.set(i, 1f);
        dGamma = new float[c];
        dBeta = new float[c];
        dTokenTable = training ? new float[v * c] : null;
        dPositionTable = training ? new float[shape.blockSize() * c] : null;
        gradRow = training ? new float[Math.max(v, shape.blockSize()) * c] : null;
        for (FloatParam p : net.params) grads.put(p, ownGradients && training ? new FloatArray(p.size()) : p.dw);
    }

    /** Where p's gradient accumulates in this group; null for a missing bias. */
    FloatArray grad(FloatParam p) {
        return p == null ? null : grads.get(p);
    }
}
