package dev.rnnplayground.server.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InspectLimitTest {

    private static ModelInfo model(String cell, int hidden, int layers) {
        return new ModelInfo.Builder().id("m_000000000000").name("m").source("imported").cell(cell).hidden(hidden)
                .layers(layers).vocabSize(65).parameterCount(0).createdAt("2026-01-01T00:00:00Z").sizeBytes(0).build();
    }

    @Test
    void bigNetworksInspectShorterWindows() {
        assertEquals(1001, Inference.inspectLimit(model("lstm", 128, 2)), "512 numbers a step: the general cap");
        assertEquals(1 + 1_000_000 / 2048, Inference.inspectLimit(model("lstm", 512, 2)));
        assertEquals(1 + 1_000_000 / 4096, Inference.inspectLimit(model("gru", 1024, 4)));
        assertEquals(1 + 1_000_000 / 8192, Inference.inspectLimit(model("lstm", 1024, 4)));
        // with the gates: i, f, g, o besides h and c (6 numbers a unit), r, z, n besides h (4)
        assertEquals(1 + 1_000_000 / (6 * 512), Inference.inspectLimit(model("lstm", 256, 2), true));
        assertEquals(1 + 1_000_000 / (4 * 512), Inference.inspectLimit(model("gru", 256, 2), true));
        assertEquals(1001, Inference.inspectLimit(model("rnn", 128, 1), true));
    }
}
