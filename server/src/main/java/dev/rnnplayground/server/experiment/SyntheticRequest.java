package dev.rnnplayground.server.experiment;

/**
 * A synthetic text with a controlled gap ({@code core.SyntheticTexts}).
 *
 * @param task     recall, brackets or reber
 * @param size     recall: the gap, 0 to 1000 (default 10); brackets: the deepest nesting, 1 to 100 (default 4); reber: ignored
 * @param examples lines, 1 to 200,000 (default 2,000 for a corpus, 500 to score)
 * @param seed     the same seed, the same text (default 1)
 */
public record SyntheticRequest(String task, Integer size, Integer examples, Long seed) {
}
