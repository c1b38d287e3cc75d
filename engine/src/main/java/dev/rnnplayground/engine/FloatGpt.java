package dev.rnnplayground.engine;

import dev.rnnplayground.core.gpt.Gpt;
import dev.rnnplayground.core.model.Param;
import dev.rnnplayground.core.rnn.DropoutMask;
import java.util.ArrayList;
import java.util.List;

/**
 * core's {@link Gpt} (nanoGPT's {@code GPT}) in float32, read top to bottom as nanoGPT's
 * forward:
 * <pre>
 *   x = drop(wte[idx] + wpe[pos])              (N, C)
 *   x = block(x) for each of the L blocks      {@link FloatGptBlock}
 *   logits = ln_f(x) wte^T                     (N, V), the output layer tied to the embedding
 *   loss = mean softmax cross-entropy
 * </pre>
 * and backward in reverse, the lm_head's gradient added into wte's. Nothing is carried from one
 * window to the next. The arithmetic lives in {@link FloatLinear}, {@link FloatAttention},
 * {@link FloatLayerNorm} and FastMath's GELU; the activations in {@link GptBuffers}.
 */
final class FloatGpt {
    final GptShape shape;
    final FloatParam tokenEmbedding;      // wte (V, C), also the lm_head
    final FloatParam positionEmbedding;   // wpe (T, C)
    final FloatGptBlock[] blocks;
    final FloatParam finalNormWeight;     // ln_f (C)
    final FloatParam finalNormBias;       // (C) or null
    final List<FloatParam> params = new ArrayList<>();   // the reference's order

    /** Float32 parameters shaped and named as core's (values not copied: see {@link FloatParam#copyFrom}). */
    FloatGpt(Gpt model) {
        this.shape = GptShape.of(model);
        List<Param> reference = model.parameters();
        tokenEmbedding = new FloatParam(reference.get(0), false);
        positionEmbedding = new FloatParam(reference.get(1), false);
        params.add(tokenEmbedding);
        params.add(positionEmbedding);
        blocks = new FloatGptBlock[shape.layers()];
        for (int l = 0; l < blocks.length; l++) {
            int from = 2 + l * shape.perBlock();
            blocks[l] = new FloatGptBlock(shape, reference.subList(from, from + shape.perBlock()));
            params.addAll(blocks[l].params());
        }
        int last = 2 + blocks.length * shape.perBlock();
        finalNormWeight = new FloatParam(reference.get(last), false);
        finalNormBias = shape.bias() ? new FloatParam(reference.get(last + 1), false) : null;
        params.add(finalNormWeight);
        if (finalNormBias != null) params.add(finalNormBias);
    }

    /**
     * Forward over {@code steps} positions of streams s.first .. s.first+s.batch-1 of
     * {@code inputs[b][t]}; leaves the logits in s.logits. With {@code dropout > 0}, drops where
     * nanoGPT does with core's masks of training step {@code step}.
     */
    void forward(GptBuffers s, int[][] inputs, int steps, double dropout, long seed, long step) {
        if (steps > shape.blockSize() || steps > s.maxSteps) {
            throw new IllegalArgumentException(steps + " positions do not fit a block of " + Math.min(shape.blockSize(), s.maxSteps));
        }
        s.steps = steps;
        int c = shape.embd(), n = s.batch * steps;
        float[] x = s.residual[0], position = s.rows2;
        positionEmbedding.w.read(0, position, 0, steps * c);
        for (int b = 0; b < s.batch; b++) {
            for (int t = 0; t < steps; t++) {
                int r = b * steps + t, token = inputs[s.first + b][t];
                s.tokens[r] = token;
                tokenEmbedding.w.read(token * c, x, r * c, c);
                for (int i = 0; i < c; i++) x[r * c + i] += position[t * c + i];
            }
        }
        s.dropoutUsed = dropout > 0;
        if (s.dropoutUsed) {
            drawMasks(s, steps, dropout, seed, step);
            for (int i = 0; i < n * c; i++) x[i] *= s.embeddingKeep[i];
        }
        for (int l = 0; l < blocks.length; l++) blocks[l].forward(s, s.blocks[l], s.residual[l], s.residual[l + 1]);
        FloatGptBlock.layerNorm(s, s.residual[blocks.length], n, finalNormWeight, finalNormBias,
                s.finalMean, s.finalRstd, s.finalNormed);
        NativeBlas.gemm(false, true, n, shape.vocabSize(), c, 1f, s.finalNormed, 0, c, tokenEmbedding.w, 0, c,
                0f, s.logits, 0, shape.vocabSize());
    }

    /**
     * This group's part of core's masks for the whole batch (GptTrace.setDropout): place 0 the
     * embeddings, then for block l place 1 + 3l the attention's probabilities, 2 + 3l its c_proj's
     * output, 3 + 3l the MLP's; each drawn from (seed, step, place) by {@link DropoutMask}, from
     * where this group's streams start in the whole batch's (B, T, ...) layout.
     */
    private void drawMasks(GptBuffers s, int steps, double p, long seed, long step) {
        int c = shape.embd(), heads = shape.heads();
        int rows = s.batch * steps * c, probabilities = s.batch * heads * steps * steps;
        long rowsFrom = (long) s.first * steps * c, probabilitiesFrom = (long) s.first * heads * steps * steps;
        fillMask(seed, step, 0, p, rowsFrom, rows, s.maskScratch, s.embeddingKeep);
        for (int l = 0; l < blocks.length; l++) {
            GptBuffers.Block a = s.blocks[l];
            fillMask(seed, step, 1 + 3 * l, p, probabilitiesFrom, probabilities, s.maskScratch, a.attentionKeep);
            fillMask(seed, step, 2 + 3 * l, p, rowsFrom, rows, s.maskScratch, a.attnProjKeep);
            fillMask(seed, step, 3 + 3 * l, p, rowsFrom, rows, s.maskScratch, a.mlpProjKeep);
        }
    }

    private static void fillMask(long seed, long step, int place, double p, long from, int n, double[] scratch, float[] keep) {
        DropoutMask.fill(seed, step, place, p, from, scratch, 0, n);
        for (int i = 0; i < n; i++) keep[i] = (float) scratch[i];
    }

    /**
     * The cross-entropy of the logits against s.targets, summed over the rows, in nats; with
     * {@code gradient}, also dLoss/dlogits of the mean over {@code totalRows} rows (every thread's).
     */
    double lossSum(GptBuffers s, boolean gradient, int totalRows) {
        int n = s.batch * s.steps, size = n * shape.vocabSize();
        s.logits.read(0, s.scores, 0, size);
        double total = FloatCrossEntropy.lossSum(s.scores, s.targets, n, shape.vocabSize(), gradient, totalRows);
        if (gradient) s.dLogits.write(0, s.scores, 0, size);
        return total;
    }

    /** Backward from dLoss/dlogits through ln_f, the blocks and the embeddings; accumulates into s.grads. */
    void backward(GptBuffers s) {
        int c = shape.embd(), v = shape.vocabSize(), steps = s.steps, n = s.batch * steps;
        FloatArray dWte = s.grad(tokenEmbedding);
        // the tied lm_head: dwte += dLogits^T ln_f(x), dLoss/d ln_f(x) = dLogits wte
        NativeBlas.gemm(true, false, v, c, n, 1f, s.dLogits, 0, v, s.finalNormed, 0, c, 1f, dWte, 0, c);
        NativeBlas.gemm(false, false, n, c, v, 1f, s.dLogits, 0, v, tokenEmbedding.w, 0, c, 0f, s.dNormed, 0, c);
        java.util.Arrays.fill(s.dx, 0, n * c, 0f);
        FloatGptBlock.layerNormBackward(s, s.residual[blocks.length], n, finalNormWeight, finalNormBias,
                s.finalMean, s.finalRstd);
        for (int l = blocks.length - 1; l >= 0; l--) blocks[l].backward(s, s.blocks[l], s.residual[l]);
        // the embeddings: each row's gradient goes to its token's row of wte and its position's row of wpe
        float[] dTokens = s.dTokenTable, dPositions = s.dPositionTable, dx = s.dx;
        if (s.dropoutUsed) for (int i = 0; i < n * c; i++) dx[i] *= s.embeddingKeep[i];
        java.util.Arrays.fill(dTokens, 0f);
        java.util.Arrays.fill(dPositions, 0, steps * c, 0f);
        for (int r = 0; r < n; r++) {
            int token = s.tokens[r] * c, position = (r % steps) * c;
            for (int i = 0; i < c; i++) {
                dTokens[token + i] += dx[r * c + i];
                dPositions[position + i] += dx[r * c + i];
            }
        }
        FloatLayer.addToRow(dWte, 0, dTokens, 0, v * c, s.gradRow);
        FloatLayer.addToRow(s.grad(positionEmbedding), 0, dPositions, 0, steps * c, s.gradRow);
    }
}
