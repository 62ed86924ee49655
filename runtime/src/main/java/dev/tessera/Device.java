package dev.tessera;

import java.util.Objects;

/** Where a tensor's storage lives. Prints as PyTorch does: {@code cpu}, {@code cuda:0}. */
public final class Device {
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);
    /** The current CUDA device ({@code torch.device('cuda')}); tensors on it print as {@code cuda:0}. */
    public static final Device CUDA = new Device(Type.CUDA, 0);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        return index == 0 ? CUDA : new Device(Type.CUDA, index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"}, {@code "cuda:1"} like {@code torch.device(str)}. */
    public static Device of(String spec) {
        Objects.requireNonNull(spec, "device");
        String s = spec.trim();
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return CUDA;
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid device string: '" + spec + "'");
            }
        }
        throw new IllegalArgumentException("Expected one of cpu, cuda device type at start of device string: " + spec);
    }

    public Type type() { return type; }

    public int index() { return index; }

    public boolean isCpu() { return type == Type.CPU; }

    public boolean isCuda() { return type == Type.CUDA; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type == type && d.index == index;
    }

    @Override
    public int hashCode() { return type.hashCode() * 31 + index; }

    @Override
    public String toString() { return type == Type.CPU ? "cpu" : "cuda:" + index; }
}
