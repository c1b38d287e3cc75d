package dev.rnnplayground.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnplayground.server.model.DefaultModelTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A clone with nothing beside it must build and pass: no tracked file may reach for the folder
 * the team keeps beside the project. CI clones with that folder present, so only this check would
 * notice a regression.
 */
class ProjectFilesTest {
    /** Built from two halves so that this file does not match itself. */
    private static final String OUTSIDE_FOLDER = ".." + "/shared";

    @Test
    void noTrackedFileReadsTheFolderBesideTheProject() throws Exception {
        Path root = DefaultModelTest.shakespeare().getParent().getParent();
        Process git = new ProcessBuilder("git", "ls-files", "-z").directory(root.toFile()).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), "git ls-files failed in " + root);
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (String name : listing.split("\0")) {
            if (name.isEmpty()) continue;
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(root.resolve(name));
            } catch (IOException deletedInTheWorkTree) {
                continue;
            }
            checked++;
            if (new String(bytes, StandardCharsets.ISO_8859_1).contains(OUTSIDE_FOLDER)) offenders.add(name);
        }
        assertTrue(checked > 100, "expected the project's files, listed " + checked);
        assertEquals(List.of(), offenders, "these tracked files name " + OUTSIDE_FOLDER);
    }

    @Test
    void theCorpusShipsWithTheProject() throws Exception {
        Path corpus = DefaultModelTest.shakespeare();
        assertEquals(1_115_394, Files.size(corpus), "tiny Shakespeare, as char-rnn ships it");
    }
}
