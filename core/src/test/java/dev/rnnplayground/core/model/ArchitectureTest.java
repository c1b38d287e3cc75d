package dev.rnnplayground.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void parameterCountWithoutBuildingAgreesWithTheBuiltModel() {
        Vocab vocab = Vocab.of(IntStream.range(0, 65).mapToObj(i -> Character.toString('!' + i)).collect(Collectors.joining()));
        for (CellType kind : CellType.values()) {
            for (int[] size : new int[][] {{2, 1}, {16, 1}, {24, 3}}) {
                for (boolean bias : new boolean[] {false, true}) {
                    Architecture a = new Architecture(kind, size[0], size[1], 2, 8, bias, 3);
                    LanguageModel built = a.empty(vocab, false);
                    assertEquals(built.parameterCount(), a.parameterCount(65), a.toString());
                    assertEquals(a.shape(), built.shape(), a.toString());
                }
            }
        }
    }

    @Test
    void parameterCountMatchesPyTorch() {
        // nn.LSTM(65, 128, num_layers=2) has 99,840 + 132,096 parameters, nn.Linear(128, 65) 8,385:
        // 4·128·(65 + 128 + 2), 4·128·(128 + 128 + 2), 65·128 + 65
        assertEquals(240_321, Architecture.of(CellType.LSTM, 128, 2).parameterCount(65));
        assertEquals(65 * 65, Architecture.of(CellType.BIGRAM, 128, 2).parameterCount(65), "nn.Embedding(65, 65)");
        // nanoGPT's config/train_shakespeare_char.py (6 layers, 6 heads, 384, block 256, bias False):
        // it reports 10.65M, its count without the position embeddings (256·384 = 98,304)
        assertEquals(10_646_784 + 98_304, Architecture.gpt(384, 6, 6, 256, false).parameterCount(65));
    }

    @Test
    void aShapeReadsBackAsTheSameArchitecture() {
        for (Architecture a : new Architecture[] {Architecture.gpt(48, 3, 6, 64, true),
                Architecture.gpt(16, 1, 1, 1, false), Architecture.of(CellType.GRU, 32, 2)}) {
            assertEquals(a.shape(), Architecture.fromShape(a.shape(), 4096).shape());
        }
        var shape = new java.util.HashMap<>(Architecture.gpt(48, 3, 6, 64, true).shape());
        shape.put("n_head", "5");
        assertEquals("n_head 5 does not divide n_embd 48",
                assertThrows(IllegalArgumentException.class, () -> Architecture.fromShape(shape, 4096)).getMessage());
        shape.put("n_head", "6");
        shape.put("bias", "yes");
        assertThrows(IllegalArgumentException.class, () -> Architecture.fromShape(shape, 4096));
    }
}
