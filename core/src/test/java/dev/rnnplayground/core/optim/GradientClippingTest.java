package dev.rnnplayground.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.model.Param;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Clipping keeps one bad window from throwing the weights far away, and otherwise stays out of the way. */
class GradientClippingTest {

    /** Two parameters whose gradients together form the 3-4-5 triangle: global norm 5. */
    private static List<Param> threeFourFive() {
        Param a = Param.vector("a", 1);
        Param b = Param.matrix("b", 1, 2);
        a.dw[0] = 3;
        b.dw[0] = 0;
        b.dw[1] = -4;
        return List.of(a, b);
    }

    @Test
    void globalNormTakesAllParametersTogether() {
        assertEquals(5.0, GradientClipping.globalNorm(threeFourFive()), 0.0);
    }

    @Test
    void normModeRescalesToTheLimitAndKeepsTheDirection() {
        List<Param> params = threeFourFive();
        boolean clipped = GradientClipping.clip(params, GradientClipping.Mode.NORM, 1.0, 5.0);
        assertTrue(clipped, "clipping must report that it fired");
        // torch's clip_grad_norm_ divides by (norm + 1e-6), so the new norm is 1 to within 1e-6
        assertEquals(1.0, GradientClipping.globalNorm(params), 1e-6);
        assertEquals(0.6, params.get(0).dw[0], 1e-6);
        assertArrayEquals(new double[] {0, -0.8}, params.get(1).dw, 1e-6);
    }

    @Test
    void valueModeClampsEachElement() {
        Param p = Param.vector("p", 4);
        System.arraycopy(new double[] {3, -4, 1.5, -0.5}, 0, p.dw, 0, 4);
        assertTrue(GradientClipping.clip(List.of(p), GradientClipping.Mode.VALUE, 2.0, 5.4));
        assertArrayEquals(new double[] {2, -2, 1.5, -0.5}, p.dw, 0.0);
    }

    @ParameterizedTest
    @EnumSource(GradientClipping.Mode.class)
    void limitZeroMeansOff(GradientClipping.Mode mode) {
        List<Param> params = threeFourFive();
        assertFalse(GradientClipping.clip(params, mode, 0, 5.0));
        assertEquals(3, params.get(0).dw[0], 0.0);
        assertArrayEquals(new double[] {0, -4}, params.get(1).dw, 0.0);
    }

    @ParameterizedTest
    @EnumSource(GradientClipping.Mode.class)
    void gradientsBelowTheLimitAreUntouched(GradientClipping.Mode mode) {
        List<Param> params = threeFourFive();
        assertFalse(GradientClipping.clip(params, mode, 10, 5.0), "nothing to clip, nothing reported");
        assertEquals(3, params.get(0).dw[0], 0.0);
        assertArrayEquals(new double[] {0, -4}, params.get(1).dw, 0.0);
    }

    @Test
    void modeParsesItsNames() {
        assertEquals(GradientClipping.Mode.NORM, GradientClipping.Mode.parse("Norm"));
        assertEquals(GradientClipping.Mode.VALUE, GradientClipping.Mode.parse("value"));
    }
}
