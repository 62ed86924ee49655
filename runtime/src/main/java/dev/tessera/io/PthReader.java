package dev.tessera.io;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.tensor.Storage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads torch.save's zip format (PyTorch 1.6 and later): {@code <top>/data.pkl} holds the pickled
 * object, {@code <top>/data/<key>} the raw bytes of each storage. The pickle runs in {@link Pickle}
 * with only these globals allowed: {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter}, {@code torch.device} and the {@code torch.<X>Storage} types.
 * Every tensor is a view (size, stride, offset) of one {@link Storage} per key, so tensors that
 * shared storage in Python share it here; stored members are slices of the file's image (no further copy).
 * Storages saved on CUDA are loaded on the CPU, as with {@code map_location='cpu'}.
 */
final class PthReader implements Pickle.Hooks {
    private static final int MAX_DIMS = 64;
    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.FLOAT32, "DoubleStorage", DType.FLOAT64, "HalfStorage", DType.FLOAT16,
            "BFloat16Storage", DType.BFLOAT16, "LongStorage", DType.INT64, "IntStorage", DType.INT32,
            "ShortStorage", DType.INT16, "CharStorage", DType.INT8, "ByteStorage", DType.UINT8, "BoolStorage", DType.BOOL);

    /** The globals a state dict may name; {@link #global} refuses every other one. */
    private record Global(String module, String name) {
        String qualified() { return module + "." + name; }
    }

    /** A storage loaded from its zip member, typed by the storage class its persistent id named. */
    private record TypedStorage(DType dtype, Storage storage, long numel) {}

    private final String source;
    private final String pickleSource;
    private final ZipDirectory zip;
    private final String prefix;
    private final Map<String, TypedStorage> storages = new HashMap<>();

    private PthReader(String source, ZipDirectory zip, String prefix) {
        this.source = source;
        this.pickleSource = source + "!" + prefix + "data.pkl";
        this.zip = zip;
        this.prefix = prefix;
    }

    static Map<String, Tensor> load(Path path, boolean mmap) {
        return load(FileMapping.load(path, mmap), path.toString());
    }

    /** Reads an archive image already in memory (a copy or a mapping), named {@code source} in messages. */
    static Map<String, Tensor> load(MemorySegment file, String source) {
        checkMagic(file, source);
        ZipDirectory zip = new ZipDirectory(file, source);
        String prefix = null;
        for (String name : zip.entries().keySet()) {
            // The top folder is "archive" for torch.save to a stream, the file's stem otherwise.
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - 9) {
                if (prefix != null) throw new StateDictFormatException(source, "zip holds more than one top-level data.pkl");
                prefix = name.substring(0, name.length() - 8);
            }
        }
        if (prefix == null) throw new StateDictFormatException(source, "zip archive has no <folder>/data.pkl record; not a torch.save file");
        return new PthReader(source, zip, prefix).run(zip.data(zip.entries().get(prefix + "data.pkl")));
    }

    /** Runs {@code pickle} in place of the archive's own data.pkl (for the fuzz tests). */
    static Map<String, Tensor> loadWithPickle(MemorySegment file, String source, String prefix, MemorySegment pickle) {
        return new PthReader(source, new ZipDirectory(file, source), prefix).run(pickle);
    }

    private Map<String, Tensor> run(MemorySegment pickle) {
        return tensors(Pickle.load(pickle, pickleSource, this));
    }

    private static void checkMagic(MemorySegment file, String source) {
        if (file.byteSize() >= 4 && file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0) == 0x04034b50) return;
        if (file.byteSize() >= 2 && (file.get(ValueLayout.JAVA_BYTE, 0) & 0xFF) == 0x80) {
            throw new StateDictFormatException(source, "legacy .pth format not supported; re-save with "
                    + "torch.save(..., _use_new_zipfile_serialization=True)");
        }
        if (file.byteSize() >= 262 && "ustar".equals(new String(file.asSlice(257, 5).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.ISO_8859_1))) {
            throw new StateDictFormatException(source, "legacy tar .pth format not supported; re-save with torch.save(...) from PyTorch 1.6 or later");
        }
        throw new StateDictFormatException(source, 0, "not a torch.save zip archive (no zip local header signature)");
    }

    /** The top-level entries of the loaded dict whose values are tensors, in file order. */
    private Map<String, Tensor> tensors(Object root) {
        if (!(root instanceof Map<?, ?> m)) {
            throw new StateDictFormatException(source, "the pickled object is a " + Pickle.typeName(root) + ", not a state dict");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getKey() instanceof String k && e.getValue() instanceof Tensor t) out.put(k, t);
        }
        return out;
    }

    // ---- hooks -----------------------------------------------------------------------------

    @Override
    public Object global(String module, String name, long offset) {
        boolean allowed = switch (module) {
            case "collections" -> name.equals("OrderedDict");
            case "torch._utils" -> name.equals("_rebuild_tensor_v2") || name.equals("_rebuild_parameter");
            case "torch" -> name.equals("device") || STORAGE_TYPES.containsKey(name);
            default -> false;
        };
        if (!allowed) {
            throw new StateDictFormatException(pickleSource, offset, "forbidden pickle global '" + module + "." + name
                    + "': only tensors, storages and OrderedDict may be loaded");
        }
        return new Global(module, name);
    }

    @Override
    public Object reduce(Object callable, Pickle.Tuple args, long offset) {
        if (!(callable instanceof Global g)) throw fail(offset, "REDUCE of a " + Pickle.typeName(callable) + ", which is not callable");
        return switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                if (args.size() != 0) throw fail(offset, "OrderedDict(...) with arguments is not supported");
                yield new LinkedHashMap<>();
            }
            case "torch._utils._rebuild_tensor_v2" -> rebuildTensor(args, offset);
            case "torch._utils._rebuild_parameter" -> {
                if (args.size() != 3 || !(args.get(0) instanceof Tensor t) || !(args.get(1) instanceof Boolean rg)) {
                    throw fail(offset, "_rebuild_parameter expects (tensor, requires_grad, hooks)");
                }
                yield withRequiresGrad(t, rg, offset);
            }
            case "torch.device" -> {
                if (args.size() < 1 || !(args.get(0) instanceof String s)) throw fail(offset, "torch.device expects a string");
                yield s;
            }
            default -> throw fail(offset, "'" + g.qualified() + "' may not be called");
        };
    }

    @Override
    public Object build(Object target, Object state, long offset) {
        // state_dict() is an OrderedDict carrying a _metadata attribute (module versions): not needed.
        if (target instanceof LinkedHashMap<?, ?> && (state == null || state instanceof Map<?, ?>)) return target;
        throw fail(offset, "BUILD on a " + Pickle.typeName(target) + " is not supported");
    }

    @Override
    public Object newObj(Object cls, Pickle.Tuple args, long offset) {
        if (cls instanceof Global g && g.qualified().equals("collections.OrderedDict") && args.size() == 0) return new LinkedHashMap<>();
        throw fail(offset, "NEWOBJ is only supported for OrderedDict");
    }

    /** A persistent id ('storage', storage_type, key, location, numel) names the member data/&lt;key&gt;. */
    @Override
    public Object persistentLoad(Object pid, long offset) {
        if (!(pid instanceof Pickle.Tuple t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof Global type) || !(t.get(2) instanceof String key)
                || !(t.get(3) instanceof String) || !(t.get(4) instanceof Long numel)) {
            throw fail(offset, "persistent id is not ('storage', <storage type>, key, location, numel)");
        }
        DType dtype = STORAGE_TYPES.get(type.name());
        if (!type.module().equals("torch") || dtype == null) throw fail(offset, "'" + type.qualified() + "' is not a storage type");
        TypedStorage cached = storages.get(key);
        if (cached != null) {
            if (cached.dtype != dtype || cached.numel != numel) throw fail(offset, "storage '" + key + "' is referenced with two different types or sizes");
            return cached;
        }
        ZipDirectory.Entry entry = zip.entries().get(prefix + "data/" + key);
        if (entry == null) throw fail(offset, "storage '" + key + "' has no zip member " + prefix + "data/" + key);
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw fail(offset, "storage '" + key + "' numel " + numel + " overflows");
        }
        if (numel < 0 || entry.size() != bytes) {
            throw fail(offset, "storage '" + key + "' of " + numel + " " + dtype.pythonName() + " elements needs " + bytes
                    + " bytes but its zip member holds " + entry.size());
        }
        TypedStorage s = new TypedStorage(dtype, new Storage(zip.data(entry), Device.CPU, null), numel);
        storages.put(key, s);
        return s;
    }

    // ---- tensors ---------------------------------------------------------------------------

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private Tensor rebuildTensor(Pickle.Tuple a, long offset) {
        if ((a.size() != 6 && a.size() != 7) || !(a.get(0) instanceof TypedStorage s) || !(a.get(1) instanceof Long storageOffset)
                || !(a.get(2) instanceof Pickle.Tuple size) || !(a.get(3) instanceof Pickle.Tuple stride)
                || !(a.get(4) instanceof Boolean requiresGrad)) {
            throw fail(offset, "_rebuild_tensor_v2 expects (storage, offset, size, stride, requires_grad, hooks[, metadata])");
        }
        if (size.size() != stride.size()) throw fail(offset, "tensor size has " + size.size() + " dims but stride has " + stride.size());
        if (size.size() > MAX_DIMS) throw fail(offset, "tensor has " + size.size() + " dims (at most " + MAX_DIMS + ")");
        long[] shape = new long[size.size()];
        long[] strides = new long[size.size()];
        long numel = 1;
        long last = storageOffset; // the largest element index the view reaches
        try {
            for (int i = 0; i < shape.length; i++) {
                if (!(size.get(i) instanceof Long n) || n < 0) throw fail(offset, "tensor size[" + i + "] is not a non-negative int");
                if (!(stride.get(i) instanceof Long st) || st < 0) throw fail(offset, "tensor stride[" + i + "] is not a non-negative int");
                shape[i] = n;
                strides[i] = st;
                numel = Math.multiplyExact(numel, n);
                if (n > 0) last = Math.addExact(last, Math.multiplyExact(n - 1, st));
            }
        } catch (ArithmeticException e) {
            throw fail(offset, "tensor size or stride overflows");
        }
        if (storageOffset < 0 || storageOffset > s.numel || (numel > 0 && last >= s.numel)) {
            throw fail(offset, "tensor view (offset " + storageOffset + ", size " + java.util.Arrays.toString(shape) + ", stride "
                    + java.util.Arrays.toString(strides) + ") reaches outside its storage of " + s.numel + " elements");
        }
        return withRequiresGrad(Tensor.fromStorage(s.storage, s.dtype, shape, strides, storageOffset), requiresGrad, offset);
    }

    private Tensor withRequiresGrad(Tensor t, boolean requiresGrad, long offset) {
        if (!requiresGrad) return t;
        if (!t.dtype().isFloatingPoint()) throw fail(offset, "a " + t.dtype() + " tensor cannot require grad");
        return t.requiresGrad_(true);
    }

    private StateDictFormatException fail(long offset, String problem) {
        return new StateDictFormatException(pickleSource, offset, problem);
    }
}
