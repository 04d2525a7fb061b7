package io.spindle.bridge.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a tiny llama-architecture model in GGUF v3 for the {@code llamacpp} tests, so the real loader and sampler
 * run without a downloaded model: random F32 weights from a fixed seed, a byte-level SentencePiece vocabulary
 * ({@code <unk>}, {@code <s>}, {@code </s>} and the 256 byte tokens {@code <0x00>}…{@code <0xFF>}), a few small
 * layers (about half a megabyte). The keys are those llama.cpp's loader reads for {@code general.architecture = llama}
 * and {@code tokenizer.ggml.model = llama} (see ggml's docs/gguf.md and llama.cpp's src/llama-model.cpp, llama-vocab.cpp).
 */
final class TinyGguf {
    static final int EMBEDDING = 64;
    static final int HEADS = 4;
    static final int LAYERS = 2;
    static final int FEED_FORWARD = 128;
    static final int CONTEXT = 512;
    static final int SPECIAL_TOKENS = 3;
    static final int BYTE_TOKENS = 256;
    static final int VOCAB = SPECIAL_TOKENS + BYTE_TOKENS;
    static final long WEIGHT_SEED = 20_240_601L;

    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    private static final int VERSION = 3;
    private static final int ALIGNMENT = 32;
    private static final int TYPE_UINT32 = 4;
    private static final int TYPE_FLOAT32 = 6;
    private static final int TYPE_STRING = 8;
    private static final int TYPE_ARRAY = 9;
    private static final int TYPE_INT32 = 5;
    private static final int GGML_F32 = 0;
    private static final int TOKEN_UNKNOWN = 2;
    private static final int TOKEN_CONTROL = 3;
    private static final int TOKEN_BYTE = 6;
    /** Scale of the output projection: large logits make the sampled text depend strongly on the seed. */
    private static final float OUTPUT_SCALE = 2.0f;
    private static final float WEIGHT_SCALE = 0.2f;

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    private record Tensor(String name, long[] dims, float[] data) {}

    private TinyGguf() {}

    /** Writes the model to {@code file} and returns it. */
    static Path write(Path file) throws IOException {
        TinyGguf model = new TinyGguf();
        model.describe();
        model.weigh(new SplittableRandom(WEIGHT_SEED));
        model.writeTo(file);
        return file;
    }

    private void describe() {
        metadata.put("general.architecture", "llama");
        metadata.put("general.name", "spindle-tiny-test");
        metadata.put("general.alignment", new Uint(ALIGNMENT));
        metadata.put("llama.context_length", new Uint(CONTEXT));
        metadata.put("llama.embedding_length", new Uint(EMBEDDING));
        metadata.put("llama.block_count", new Uint(LAYERS));
        metadata.put("llama.feed_forward_length", new Uint(FEED_FORWARD));
        metadata.put("llama.attention.head_count", new Uint(HEADS));
        metadata.put("llama.attention.head_count_kv", new Uint(HEADS));
        metadata.put("llama.rope.dimension_count", new Uint(EMBEDDING / HEADS));
        metadata.put("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        metadata.put("llama.vocab_size", new Uint(VOCAB));
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        int[] types = new int[VOCAB];
        types[0] = TOKEN_UNKNOWN;
        types[1] = TOKEN_CONTROL;
        types[2] = TOKEN_CONTROL;
        for (int b = 0; b < BYTE_TOKENS; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types[SPECIAL_TOKENS + b] = TOKEN_BYTE;
        }
        metadata.put("tokenizer.ggml.model", "llama");
        metadata.put("tokenizer.ggml.tokens", tokens);
        metadata.put("tokenizer.ggml.scores", new float[VOCAB]);
        metadata.put("tokenizer.ggml.token_type", types);
        metadata.put("tokenizer.ggml.unknown_token_id", new Uint(0));
        metadata.put("tokenizer.ggml.bos_token_id", new Uint(1));
        metadata.put("tokenizer.ggml.eos_token_id", new Uint(2));
    }

    private void weigh(SplittableRandom random) {
        tensor("token_embd.weight", random, WEIGHT_SCALE, EMBEDDING, VOCAB);
        tensor("output_norm.weight", ones(EMBEDDING), EMBEDDING);
        float[] output = values(random, OUTPUT_SCALE, EMBEDDING * VOCAB);
        for (int i = 0; i < EMBEDDING; i++) {
            output[2 * EMBEDDING + i] = 0; // </s> gets a zero logit, so generation rarely stops before max_tokens
        }
        tensors.add(new Tensor("output.weight", new long[] {EMBEDDING, VOCAB}, output));
        for (int layer = 0; layer < LAYERS; layer++) {
            String blk = "blk." + layer + ".";
            tensor(blk + "attn_norm.weight", ones(EMBEDDING), EMBEDDING);
            tensor(blk + "attn_q.weight", random, WEIGHT_SCALE, EMBEDDING, EMBEDDING);
            tensor(blk + "attn_k.weight", random, WEIGHT_SCALE, EMBEDDING, EMBEDDING);
            tensor(blk + "attn_v.weight", random, WEIGHT_SCALE, EMBEDDING, EMBEDDING);
            tensor(blk + "attn_output.weight", random, WEIGHT_SCALE, EMBEDDING, EMBEDDING);
            tensor(blk + "ffn_norm.weight", ones(EMBEDDING), EMBEDDING);
            tensor(blk + "ffn_gate.weight", random, WEIGHT_SCALE, EMBEDDING, FEED_FORWARD);
            tensor(blk + "ffn_up.weight", random, WEIGHT_SCALE, EMBEDDING, FEED_FORWARD);
            tensor(blk + "ffn_down.weight", random, WEIGHT_SCALE, FEED_FORWARD, EMBEDDING);
        }
    }

    /** A tensor of {@code dims} in GGML order (the first dimension varies fastest). */
    private void tensor(String name, SplittableRandom random, float scale, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        tensors.add(new Tensor(name, dims, values(random, scale, (int) count)));
    }

    private void tensor(String name, float[] data, long... dims) {
        tensors.add(new Tensor(name, dims, data));
    }

    private static float[] values(SplittableRandom random, float scale, int count) {
        float[] data = new float[count];
        for (int i = 0; i < count; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return data;
    }

    private static float[] ones(int count) {
        float[] data = new float[count];
        Arrays.fill(data, 1f);
        return data;
    }

    private void writeTo(Path file) throws IOException {
        Buffer header = new Buffer();
        header.u32(MAGIC).u32(VERSION).u64(tensors.size()).u64(metadata.size());
        metadata.forEach((key, value) -> header.string(key).value(value));
        long offset = 0;
        for (Tensor t : tensors) {
            header.string(t.name()).u32(t.dims().length);
            for (long d : t.dims()) {
                header.u64(d);
            }
            header.u32(GGML_F32).u64(offset);
            offset = align(offset + 4L * t.data().length);
        }
        header.pad(ALIGNMENT);
        Buffer data = new Buffer();
        for (Tensor t : tensors) {
            for (float f : t.data()) {
                data.f32(f);
            }
            data.pad(ALIGNMENT);
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(header.bytes());
            out.write(data.bytes());
        }
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A u32 metadata value (Java's int would be written as i32, which llama.cpp rejects for these keys). */
    private record Uint(int value) {}

    /** A growing little-endian byte buffer speaking GGUF's value encodings. */
    private static final class Buffer {
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private Buffer room(int bytes) {
            if (buffer.remaining() < bytes) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
                        .order(ByteOrder.LITTLE_ENDIAN);
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return this;
        }

        Buffer u32(int v) {
            room(4).buffer.putInt(v);
            return this;
        }

        Buffer u64(long v) {
            room(8).buffer.putLong(v);
            return this;
        }

        Buffer f32(float v) {
            room(4).buffer.putFloat(v);
            return this;
        }

        Buffer string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            room(utf8.length).buffer.put(utf8);
            return this;
        }

        Buffer pad(int alignment) {
            while (buffer.position() % alignment != 0) {
                room(1).buffer.put((byte) 0);
            }
            return this;
        }

        @SuppressWarnings("unchecked")
        Buffer value(Object value) {
            if (value instanceof Uint u) {
                return u32(TYPE_UINT32).u32(u.value());
            } else if (value instanceof Float f) {
                return u32(TYPE_FLOAT32).f32(f);
            } else if (value instanceof String s) {
                return u32(TYPE_STRING).string(s);
            } else if (value instanceof float[] floats) {
                u32(TYPE_ARRAY).u32(TYPE_FLOAT32).u64(floats.length);
                for (float f : floats) {
                    f32(f);
                }
                return this;
            } else if (value instanceof int[] ints) {
                u32(TYPE_ARRAY).u32(TYPE_INT32).u64(ints.length);
                for (int i : ints) {
                    u32(i);
                }
                return this;
            } else if (value instanceof List<?> strings) {
                u32(TYPE_ARRAY).u32(TYPE_STRING).u64(strings.size());
                ((List<String>) strings).forEach(this::string);
                return this;
            }
            throw new IllegalArgumentException("no GGUF encoding for " + value);
        }

        ByteBuffer bytes() {
            return buffer.duplicate().flip();
        }
    }
}
