package dev.rnnplayground.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ModelFactoryTest {

    @Test
    void parameterCountWithoutBuildingAgreesWithTheBuiltModel() {
        Vocab vocab = Vocab.of(IntStream.range(0, 65).mapToObj(i -> Character.toString('!' + i)).collect(Collectors.joining()));
        for (CellType kind : CellType.values()) {
            for (int[] size : new int[][] {{1, 1}, {16, 1}, {24, 3}}) {
                LanguageModel built = ModelFactory.empty(kind, vocab, size[0], size[1], false);
                assertEquals(built.parameterCount(), ModelFactory.parameterCount(kind, 65, size[0], size[1]),
                        kind.id() + " " + size[1] + "x" + size[0]);
            }
        }
    }

    @Test
    void parameterCountMatchesPyTorch() {
        // nn.LSTM(65, 128, num_layers=2) has 99,840 + 132,096 parameters, nn.Linear(128, 65) 8,385:
        // 4·128·(65 + 128 + 2), 4·128·(128 + 128 + 2), 65·128 + 65
        assertEquals(240_321, ModelFactory.parameterCount(CellType.LSTM, 65, 128, 2));
        assertEquals(65 * 65, ModelFactory.parameterCount(CellType.BIGRAM, 65, 128, 2), "nn.Embedding(65, 65)");
    }
}
