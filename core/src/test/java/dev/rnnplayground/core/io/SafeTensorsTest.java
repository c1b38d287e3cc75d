package dev.rnnplayground.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SafeTensorsTest {

    // ---------------------------------------------------------------- round trips and layout

    @Test
    void f64RoundTripIsExact() {
        Random rng = new Random(7L);
        List<Tensor> tensors = sampleTensors(rng);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "rnn-playground");
        metadata.put("vocab", "[\" \",\"a\",\"é\",\"\\\"\",\"\uD83D\uDE00\"]");
        TensorFile file = SafeTensors.read(SafeTensors.write(tensors, metadata, DType.F64));
        assertEquals(metadata, file.metadata());
        assertEquals(List.of("w", "b", "scalar", "empty", "cube"), new ArrayList<>(file.tensors().keySet()));
        for (Tensor t : tensors) assertEquals(t, file.tensors().get(t.name()));
    }

    @Test
    void f32RoundTripRoundsEachValueToFloat() {
        Random rng = new Random(8L);
        List<Tensor> tensors = sampleTensors(rng);
        TensorFile file = SafeTensors.read(SafeTensors.write(tensors, null, DType.F32));
        assertTrue(file.metadata().isEmpty());
        for (Tensor t : tensors) {
            Tensor back = file.tensors().get(t.name());
            assertArrayEquals(t.shape(), back.shape());
            for (int i = 0; i < t.size(); i++) {
                assertEquals((double) (float) t.data()[i], back.data()[i], 0.0, t.name() + "[" + i + "]");
            }
        }
    }

    @Test
    void specialValuesSurvive() {
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, Double.MAX_VALUE};
        Tensor t = new Tensor("s", new int[] {special.length}, special);
        assertEquals(t, SafeTensors.read(SafeTensors.write(List.of(t), Map.of(), DType.F64)).tensors().get("s"));
    }

    @Test
    void emptyFileHasOnlyAHeader() {
        byte[] bytes = SafeTensors.write(List.of(), null, DType.F32);
        assertEquals(16, bytes.length, "8 + \"{}\" padded to 8");
        TensorFile file = SafeTensors.read(bytes);
        assertTrue(file.tensors().isEmpty());
        assertTrue(file.metadata().isEmpty());
    }

    @Test
    void headerIsPaddedWithSpacesSoTheDataIsEightByteAligned() {
        Random rng = new Random(9L);
        for (int nameLength = 1; nameLength <= 16; nameLength++) {
            Tensor t = new Tensor("x".repeat(nameLength), new int[] {3}, new double[] {1, 2, 3});
            byte[] bytes = SafeTensors.write(List.of(t), Map.of("k", "v".repeat(rng.nextInt(5))), DType.F64);
            long n = bytes[0] & 0xFF;
            assertEquals(0, n % 8, "header length " + n);
            assertEquals(8 + n + 24, bytes.length);
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            assertTrue(header.stripTrailing().endsWith("}"));
            assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '));
        }
    }

    @Test
    void tinyFileHasTheExpectedBytes() {
        Tensor a = new Tensor("a", new int[] {2}, new double[] {1.0, -2.0});
        byte[] actual = SafeTensors.write(List.of(a), Map.of("k", "v"), DType.F32);
        // header JSON is 79 bytes; padded with one space to 80, a multiple of 8
        String header = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}} ";
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[] {80, 0, 0, 0, 0, 0, 0, 0});        // u64 little-endian 80
        expected.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(new byte[] {0x00, 0x00, (byte) 0x80, 0x3F});  //  1.0f = 0x3F800000
        expected.writeBytes(new byte[] {0x00, 0x00, 0x00, (byte) 0xC0});  // -2.0f = 0xC0000000
        assertArrayEquals(expected.toByteArray(), actual);
    }

    @Test
    void f64ValuesAreLittleEndian() {
        byte[] bytes = SafeTensors.write(List.of(new Tensor("p", new int[] {}, new double[] {1.0})), null, DType.F64);
        // 1.0 = 0x3FF0000000000000, least significant byte first
        byte[] data = java.util.Arrays.copyOfRange(bytes, bytes.length - 8, bytes.length);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F}, data);
    }

    @Test
    void writerRejectsDuplicateAndReservedNames() {
        Tensor a = new Tensor("a", new int[] {1}, new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(List.of(a, a), null, DType.F32));
        Tensor m = new Tensor("__metadata__", new int[] {1}, new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(List.of(m), null, DType.F32));
    }

    @Test
    void tensorChecksShapeAgainstData() {
        assertThrows(IllegalArgumentException.class, () -> new Tensor("t", new int[] {2, 3}, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("t", new int[] {-1}, new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new Tensor("t", new int[] {65536, 65536}, new double[0]), "no int overflow to 0");
        new Tensor("t", new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, new double[0]);
    }

    // ---------------------------------------------------------------- malformed files

    @Test
    void rejectsFilesTooShortForTheLength() {
        assertRejected(new byte[0], "model file is too short to be a safetensors file: it has 0 bytes, but the header length alone takes 8");
        assertRejected(new byte[7], "model file is too short to be a safetensors file: it has 7 bytes, but the header length alone takes 8");
    }

    @Test
    void rejectsAbsurdHeaderLengths() {
        assertRejected(withLength(200_000_000L, new byte[100]),
                "model file header length 200000000 bytes is over the 100 MB limit: this is not a safetensors file, or it is damaged");
        assertRejected(withLength(-1L, new byte[100]),
                "model file header length over 2^63 bytes is over the 100 MB limit: this is not a safetensors file, or it is damaged");
        assertRejected(withLength(4096, new byte[100]), "model file is truncated: header says 4096 bytes but only 100 follow");
    }

    @Test
    void rejectsHeadersThatAreNotAJsonObject() {
        assertRejected(withLength(0, new byte[0]), "model file header does not start with '{': this is not a safetensors file");
        assertRejected(file("[1, 2]"), "model file header does not start with '{': this is not a safetensors file");
        assertRejected(file(" {}"), "model file header does not start with '{': this is not a safetensors file");
        assertRejected(file("{\"a\":}"), "model file header is not valid JSON: unexpected '}', expected a value at character 5");
        assertRejected(file("{} {}"), "model file header is not valid JSON: unexpected '{' after the JSON value at character 3");
        assertRejected(file("{}\0\0\0"), "model file header is not valid JSON: unexpected U+0000 after the JSON value at character 2");
    }

    @Test
    void rejectsHeadersThatAreNotUtf8() {
        assertRejected(header(new byte[] {'{', '"', 'a', (byte) 0xFF, '"'}), "model file header is not valid UTF-8 at byte 3");
        assertRejected(header(new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF}), "model file header is not valid UTF-8 at byte 2");
        assertRejected(header(new byte[] {'{', (byte) 0xED, (byte) 0xA0, (byte) 0x80}), "model file header is not valid UTF-8 at byte 1");
        assertRejected(header(new byte[] {'{', 'x', (byte) 0xE2, (byte) 0x82}), "model file header is not valid UTF-8 at byte 2");
        assertRejected(header(new byte[] {'{', (byte) 0xE2, 'x', 'x'}), "model file header is not valid UTF-8 at byte 2");
        assertRejected(header(new byte[] {'{', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                "model file header is not valid UTF-8 at byte 1");
        assertRejected(header(new byte[] {'{', (byte) 0x80}), "model file header is not valid UTF-8 at byte 1");
        // valid multi-byte UTF-8 in a name is fine
        Tensor t = new Tensor("é日\uD83D\uDE00", new int[] {1}, new double[] {4});
        assertEquals(t, SafeTensors.read(SafeTensors.write(List.of(t), null, DType.F64)).tensors().get(t.name()));
    }

    @Test
    void rejectsEntriesWithMissingOrWrongFields() {
        assertRejected(file("{\"w\":5}"), "tensor \"w\" in the model file is described by 5 instead of a JSON object");
        assertRejected(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor \"w\" in the model file has no \"dtype\" field");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor \"w\" in the model file has no \"shape\" field");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor \"w\" in the model file has no \"data_offsets\" field");
        assertRejected(entry("\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has a \"dtype\" that is not a string: 32");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has a \"shape\" that is not a list of integers: \"1\"");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has a \"shape\" that is not a list of integers: [1.5]");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]", 4),
                "tensor \"w\" in the model file has \"data_offsets\" that are not two non-negative integers: [0]");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,\"4\"]", 4),
                "tensor \"w\" in the model file has \"data_offsets\" that are not two non-negative integers: [0,\"4\"]");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]", 4),
                "tensor \"w\" in the model file has \"data_offsets\" that are not two non-negative integers: [-4,0]");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has an unexpected field \"offsets\"");
    }

    @Test
    void rejectsUnknownDtypesByName() {
        assertRejected(entry("\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has dtype \"BF16\", but only F32 and F64 are supported");
        assertRejected(entry("\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has dtype \"f32\", but only F32 and F64 are supported");
    }

    @Test
    void rejectsBadShapes() {
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[2,-3],\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has a negative dimension in shape [2,-3]");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]", 20),
                "tensor \"w\" in the model file has shape [2, 3] of F32, 24 bytes, but data_offsets [0, 20] span 20 bytes");
        assertRejected(entry("\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has shape [1] of F64, 8 bytes, but data_offsets [0, 4] span 4 bytes");
        assertRejected(entry("\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]", 8),
                "tensor \"w\" in the model file has shape [2147483647, 2147483647, 2147483647] of F64, too many bytes, but data_offsets [0, 8] span 8 bytes");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[4294967296],\"data_offsets\":[0,4]", 4),
                "tensor \"w\" in the model file has a dimension too large in shape [4294967296]");
        assertEquals(0, SafeTensors.read(entry("\"dtype\":\"F32\",\"shape\":[3,0],\"data_offsets\":[0,0]", 0))
                .tensors().get("w").size(), "an empty tensor is valid");
    }

    @Test
    void rejectsOffsetsOutOfRange() {
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]", 8),
                "tensor \"w\" in the model file has data_offsets [8, 4] that end before they begin");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]", 4),
                "tensor \"w\" in the model file has data_offsets [0, 8] past the end of the data section (4 bytes): the file is truncated or damaged");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[18446744073709551612,18446744073709551616]", 4),
                "tensor \"w\" in the model file has \"data_offsets\" that are not two non-negative integers: [1.8446744073709552E19,1.8446744073709552E19]");
    }

    @Test
    void rejectsOverlapsHolesAndUnusedBytes() {
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "tensors \"a\" and \"b\" in the model file overlap: data_offsets [0, 8] and [4, 12]");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "tensors \"a\" and \"b\" in the model file overlap: data_offsets [0, 8] and [0, 8]");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
                "model file data section has a hole: bytes [4, 8) before tensor \"b\" belong to no tensor");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]", 8),
                "model file data section has a hole: bytes [0, 4) before tensor \"w\" belong to no tensor");
        assertRejected(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]", 16),
                "model file has 12 unused bytes after its last tensor");
        assertRejected(file("{}", 3), "model file has 3 unused bytes after its last tensor");
        // tensors listed out of offset order are fine: coverage is checked in offset order
        TensorFile ok = SafeTensors.read(file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8));
        assertEquals(List.of("b", "a"), new ArrayList<>(ok.tensors().keySet()));
    }

    @Test
    void rejectsMetadataThatIsNotStrings() {
        assertRejected(file("{\"__metadata__\":{\"hidden_size\":4}}"),
                "model file metadata value for \"hidden_size\" is not a string: 4");
        assertRejected(file("{\"__metadata__\":{\"vocab\":[\"a\"]}}"),
                "model file metadata value for \"vocab\" is not a string: [\"a\"]");
        assertRejected(file("{\"__metadata__\":[]}"), "model file __metadata__ is not a JSON object of strings");
    }

    @Test
    void rejectsDuplicateNames() {
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "model file header is not valid JSON: duplicate key \"w\" at character 54");
    }

    /** Whatever the damage, the reader answers with a ModelFormatException or a result, never another exception. */
    @Test
    void randomlyDamagedFilesFailCleanly() {
        Random rng = new Random(1234L);
        byte[] good = SafeTensors.write(sampleTensors(rng), Map.of("cell", "lstm"), DType.F32);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = good.clone();
            switch (trial % 3) {
                case 0 -> bad[rng.nextInt(bad.length)] = (byte) rng.nextInt(256);
                case 1 -> bad = java.util.Arrays.copyOf(bad, rng.nextInt(bad.length));
                default -> {
                    int at = 8 + rng.nextInt(bad[0] & 0xFF);
                    bad[at] = (byte) "{}[]\",:0123456789-.eE\\ ".charAt(rng.nextInt(23));
                }
            }
            try {
                SafeTensors.read(bad);
            } catch (ModelFormatException expected) {
                rejected++;
            } catch (RuntimeException e) {
                fail("trial " + trial + " threw " + e);
            }
        }
        assertTrue(rejected > 1500, "most damage is detected: " + rejected);
    }

    // ---------------------------------------------------------------- helpers

    private static List<Tensor> sampleTensors(Random rng) {
        List<Tensor> out = new ArrayList<>();
        out.add(new Tensor("w", new int[] {3, 5}, gaussian(rng, 15)));
        out.add(new Tensor("b", new int[] {5}, gaussian(rng, 5)));
        out.add(new Tensor("scalar", new int[] {}, gaussian(rng, 1)));
        out.add(new Tensor("empty", new int[] {4, 0}, new double[0]));
        out.add(new Tensor("cube", new int[] {2, 3, 4}, gaussian(rng, 24)));
        return out;
    }

    private static double[] gaussian(Random rng, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rng.nextGaussian() * Math.exp(rng.nextGaussian() * 5);
        return d;
    }

    private static void assertRejected(byte[] bytes, String message) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(bytes));
        assertEquals(message, e.getMessage());
    }

    /** A file with one tensor "w" whose entry has these fields, then dataBytes zero bytes. */
    private static byte[] entry(String fields, int dataBytes) {
        return file("{\"w\":{" + fields + "}}", dataBytes);
    }

    private static byte[] file(String header) {
        return file(header, 0);
    }

    /** A file with this exact header text (no padding) followed by dataBytes zero bytes. */
    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] rest = new byte[h.length + dataBytes];
        System.arraycopy(h, 0, rest, 0, h.length);
        return withLength(h.length, rest);
    }

    private static byte[] header(byte[] headerBytes) {
        return withLength(headerBytes.length, headerBytes);
    }

    private static byte[] withLength(long length, byte[] rest) {
        byte[] out = new byte[8 + rest.length];
        for (int i = 0; i < 8; i++) out[i] = (byte) (length >>> (8 * i));
        System.arraycopy(rest, 0, out, 8, rest.length);
        return out;
    }
}
