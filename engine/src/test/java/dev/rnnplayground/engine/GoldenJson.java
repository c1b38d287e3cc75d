package dev.rnnplayground.engine;

import java.util.ArrayList;
import java.util.List;

/** Reading the nested number lists of a golden JSON file (PyTorch's tolist()). */
final class GoldenJson {
    private GoldenJson() {
    }

    /** Every number of a nested list, in order. */
    static double[] flatten(Object nested) {
        List<Double> out = new ArrayList<>();
        flattenInto(nested, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flattenInto(Object value, List<Double> out) {
        if (value instanceof List<?> list) {
            for (Object v : list) flattenInto(v, out);
        } else {
            out.add(((Number) value).doubleValue());
        }
    }

    /** A list of lists of integers as int[rows][cols]. */
    static int[][] intMatrix(Object nested) {
        List<?> rows = (List<?>) nested;
        int[][] m = new int[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            List<?> row = (List<?>) rows.get(i);
            m[i] = row.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        }
        return m;
    }
}
