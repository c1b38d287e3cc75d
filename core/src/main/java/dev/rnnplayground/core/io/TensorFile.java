package dev.rnnplayground.core.io;

import java.util.Map;

/**
 * What a safetensors file holds: its tensors by name, in the order the header lists them, and the
 * free-form string metadata of its {@code __metadata__} entry (empty when the file has none).
 */
public record TensorFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
}
