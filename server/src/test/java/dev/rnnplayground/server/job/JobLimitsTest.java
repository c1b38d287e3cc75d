package dev.rnnplayground.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.core.train.Hyperparameter;
import dev.rnnplayground.core.train.TrainConfig;
import dev.rnnplayground.core.train.TrainLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's limits narrow the command line's, never widen them. */
class JobLimitsTest {

    @Test
    void theServersLimitsAreTheCommandLinesOrTighter() {
        TrainLimits cli = TrainLimits.COMMAND_LINE, server = JobLimits.SERVER;
        assertEquals(cli.ranges().keySet(), server.ranges().keySet(), "the same settings are limited");
        server.ranges().forEach((h, narrow) -> {
            TrainLimits.Range wide = cli.range(h);
            assertTrue(narrow.min() >= wide.min() && narrow.max() <= wide.max() && narrow.max() >= narrow.min(),
                    h.key + ": server " + narrow + " within command line " + wide);
        });
        assertTrue(server.maxParameters() <= cli.maxParameters());
        assertTrue(server.range(Hyperparameter.HIDDEN).max() < cli.range(Hyperparameter.HIDDEN).max(),
                "a shared server trains smaller networks");
    }

    @Test
    void aConfigValidOnTheCommandLineMayBeTooBigForTheServer() {
        TrainConfig big = TrainConfig.builder().hidden(2048).build();
        assertEquals(List.of(), big.validate());
        assertEquals(List.of("hidden: must be 1 to 1024, got 2048"), big.validate(JobLimits.SERVER));
        assertEquals(List.of(), TrainConfig.defaults().validate(JobLimits.SERVER), "the defaults fit everywhere");
    }
}
