package dev.rnnplayground.core.rnn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The writing path's copy of a network's weights, transposed once: a writer steps one character
 * at a time with weights that do not change, and h W^T computed as h (W^T) streams along rows,
 * which the JIT vectorises, where the dot products of h W^T cannot be (a sum in a fixed order).
 * The products are the same, in the same order of additions, so {@link CharRnn#step} gives the
 * reference forward's logits bit for bit ({@code WritingStepTest}), half again as fast on the JVM.
 * Training never uses it: the reference path stays the plain {@link CharRnn#forward}.
 */
final class WritingWeights {
    final DMatrixRMaj[] inputWeightsT;       // [layer] (In, G*H) W_ih transposed; null for layer 0, which looks up a column
    final DMatrixRMaj[] recurrentWeightsT;   // [layer] (H, G*H) W_hh transposed
    final DMatrixRMaj decoderWeightT;        // (H, V)

    WritingWeights(CharRnn model) {
        int layers = model.layers.length;
        inputWeightsT = new DMatrixRMaj[layers];
        recurrentWeightsT = new DMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            RecurrentLayer layer = model.layers[l];
            if (l > 0) inputWeightsT[l] = CommonOps_DDRM.transpose(layer.weightIh.value, null);
            recurrentWeightsT[l] = CommonOps_DDRM.transpose(layer.weightHh.value, null);
        }
        decoderWeightT = CommonOps_DDRM.transpose(model.decoderWeight.value, null);
    }
}
