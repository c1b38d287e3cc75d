package dev.rnnplayground.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.io.DType;
import dev.rnnplayground.core.io.ModelFile;
import dev.rnnplayground.core.model.Architecture;
import dev.rnnplayground.core.model.AttentionWeights;
import dev.rnnplayground.core.model.Attending;
import dev.rnnplayground.core.model.CellType;
import dev.rnnplayground.core.model.LanguageModel;
import dev.rnnplayground.core.model.Vocab;
import dev.rnnplayground.core.sample.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The attention exports on the JVM: a session's last attention is the Generator's, with its shape
 * in front; the matrix is core's; a model that does not attend answers empty, saying why.
 */
class AttentionEntryTest {

    private static final Vocab VOCAB = Vocab.of("abcdefgh ");

    @Test
    void theExportsAreCoresForAGptAndTheAttendingLstm() {
        for (Architecture shape : new Architecture[] {Architecture.gpt(8, 2, 2, 6, true), Architecture.attentiveLstm(6, 1, 3)}) {
            byte[] file = ModelFile.write(shape.create(VOCAB, 7), DType.F32);
            LanguageModel jvm = ModelFile.readModel(file);
            int model = BrowserEntry.loadModel(file);
            assertTrue(model > 0, BrowserEntry.lastError());
            Attending attending = (Attending) jvm;
            assertArrayEquals(new double[] {attending.attentionLayers(), attending.attentionHeads()}, BrowserEntry.attentionLayout(model));

            int session = BrowserEntry.startSession(model, 1.0, 0, "5");
            assertEquals(0, BrowserEntry.attention(session).length, "nothing read yet");
            Generator generator = new Generator(jvm, 1.0, 0, 5);
            StringBuilder text = new StringBuilder("bad ");
            for (String s : new String[] {"b", "a", "d", " "}) BrowserEntry.feed(session, s);
            generator.feed("bad ");
            for (int i = 0; i < 9; i++) {
                text.append(BrowserEntry.next(session));
                generator.next();
            }
            AttentionWeights a = generator.attention();
            double[] exported = BrowserEntry.attention(session);
            assertArrayEquals(new double[] {a.layers(), a.heads(), a.positions(), a.newestBack()}, Arrays.copyOf(exported, 4), shape.kind().id());
            assertArrayEquals(a.weights(), Arrays.copyOfRange(exported, 4, exported.length), 0.0, shape.kind().id());

            int[] ids = VOCAB.encode(text.toString()).ids();
            int[] read = shape.kind() == CellType.GPT ? Arrays.copyOfRange(ids, ids.length - a.positions(), ids.length) : ids;
            String readText = text.substring(text.length() - read.length);
            int layer = attending.attentionLayers() - 1;
            assertArrayEquals(attending.attentionMatrix(read, layer, 0, 5), BrowserEntry.attentionMatrix(model, readText, layer, 0, 5), 0.0);
            assertEquals("", BrowserEntry.lastError());
            assertEquals(0, BrowserEntry.attentionMatrix(model, readText, 5, 0, 5).length);
            assertTrue(BrowserEntry.lastError().startsWith("no attention head 0 in layer 5"), BrowserEntry.lastError());
            BrowserEntry.unloadModel(model);
        }
    }

    @Test
    void aModelThatDoesNotAttendAnswersEmpty() {
        int model = BrowserEntry.loadModel(ModelFile.write(Architecture.of(CellType.LSTM, 4, 1).create(VOCAB, 1), DType.F32));
        assertEquals(0, BrowserEntry.attentionLayout(model).length);
        int session = BrowserEntry.startSession(model, 1.0, 0, "1");
        BrowserEntry.feed(session, "a");
        assertEquals(0, BrowserEntry.attention(session).length);
        assertEquals(0, BrowserEntry.attentionMatrix(model, "abc", 0, 0, 4).length);
        assertEquals("this model does not attend", BrowserEntry.lastError());
        BrowserEntry.unloadModel(model);
    }
}
