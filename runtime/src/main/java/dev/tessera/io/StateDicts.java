package dev.tessera.io;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.Torch;
import dev.tessera.numpy.NDArray;
import dev.tessera.numpy.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loading and saving state dicts (name to tensor maps), like {@code torch.load} / {@code torch.save}
 * of {@code model.state_dict()} and safetensors' {@code load_file} / {@code save_file}.
 *
 * <p>Maps are {@link LinkedHashMap}s in file order and tensors share storage as they did when saved.
 * {@code .pth} files are read with a restricted unpickler that refuses every global except tensors,
 * storages and OrderedDict, so loading an untrusted file cannot run code. Of a {@code .pth}
 * holding a nested checkpoint ({@code {'model': {...}, 'epoch': 3}}) only the top-level tensor
 * entries are returned; non-tensor values are skipped.
 *
 * <p>Copy or map: {@link #load(Path)} reads the file into memory, as {@code torch.load} does, so
 * the tensors stay valid whatever later happens to the file. {@link #load(Path, boolean)} with
 * {@code mmap = true}, like {@code torch.load(..., mmap=True)}, maps the file copy-on-write instead
 * (in-place changes never reach the file; nothing is read until used): faster for large files, but
 * if another process truncates the file while it is mapped, reading the lost pages kills the JVM
 * with SIGBUS. Map only files nobody else will shrink. Deflated zip members are inflated in either
 * case, within {@link dev.tessera.numpy.InflationLimit#bytes()} per file.
 */
public final class StateDicts {
    private StateDicts() {}

    /**
     * Loads by content, whatever the file is called: a torch.save zip archive (.pth/.pt/.bin), a
     * zip of .npy members (.npz), a .npy array (one entry named ""), or a .safetensors file. The
     * file is read into memory (see the class comment); {@code load(path, true)} maps it instead.
     */
    public static Map<String, Tensor> load(Path path) { return load(path, false); }

    /** As {@link #load(Path)}; with {@code mmap} the tensors are views of the file mapped copy-on-write. */
    public static Map<String, Tensor> load(Path path, boolean mmap) {
        byte[] head = head(path, 16);
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            MemorySegment file = FileMapping.load(path, mmap);
            return isTorchArchive(file, path.toString()) ? PthReader.load(file, path.toString()) : loadNpz(file, path.toString());
        }
        if (head.length >= 6 && (head[0] & 0xFF) == 0x93 && new String(head, 1, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            return loadNpy(path, mmap);
        }
        if (head.length >= 9 && head[8] == '{') return Safetensors.load(path, mmap);
        // Legacy pickles and anything else: the .pth reader gives the precise message.
        return PthReader.load(path, mmap);
    }

    /** Loads a torch.save zip archive (PyTorch 1.6 or later) with the restricted unpickler; reads it into memory. */
    public static Map<String, Tensor> loadPth(Path path) { return PthReader.load(path, false); }

    /** As {@link #loadPth(Path)}; with {@code mmap} the file is mapped copy-on-write instead of read. */
    public static Map<String, Tensor> loadPth(Path path, boolean mmap) { return PthReader.load(path, mmap); }

    /** Loads a safetensors file, read into memory. */
    public static Map<String, Tensor> loadSafetensors(Path path) { return Safetensors.load(path, false); }

    /** As {@link #loadSafetensors(Path)}; with {@code mmap} the file is mapped copy-on-write instead of read. */
    public static Map<String, Tensor> loadSafetensors(Path path, boolean mmap) { return Safetensors.load(path, mmap); }

    /** Saves as .npz when the name ends with .npz, otherwise as safetensors. */
    public static void save(Map<String, Tensor> stateDict, Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npz")) {
            saveNpz(stateDict, path);
        } else if (name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".npy")) {
            throw new UnsupportedOperationException("StateDicts.save cannot write " + path + ": writing " + name.substring(name.lastIndexOf('.'))
                    + " is not supported; use a .safetensors or .npz file name");
        } else {
            saveSafetensors(stateDict, path);
        }
    }

    public static void saveSafetensors(Map<String, Tensor> stateDict, Path path) { Safetensors.save(stateDict, path); }

    // ---- NumPy formats ---------------------------------------------------------------------

    private static Map<String, Tensor> loadNpy(Path path, boolean mmap) {
        NDArray array = mmap ? NDArray.open(path, NDArray.Mode.COPY_ON_WRITE) : NDArray.load(path);
        try {
            // The storage keeps the array reachable; a mapped array unmaps itself once it is not.
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("", Torch.fromNumpy(array));
            return out;
        } catch (IllegalArgumentException e) {
            array.close(); // release the mapping now, not at some later GC
            throw new StateDictFormatException(path.toString(), e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            array.close();
            throw e;
        }
    }

    private static Map<String, Tensor> loadNpz(MemorySegment file, String source) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : Npz.load(file, source).entrySet()) {
            try {
                out.put(e.getKey(), Torch.fromNumpy(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new StateDictFormatException(source + "!" + e.getKey() + ".npy", ex.getMessage(), ex);
            }
        }
        return out;
    }

    private static void saveNpz(Map<String, Tensor> stateDict, Path path) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            Tensor t = e.getValue().detach().cpu();
            if (t.dtype() == DType.BFLOAT16) {
                throw new IllegalArgumentException("StateDicts.save " + path + ": tensor '" + e.getKey() + "' is bfloat16, which .npz cannot hold; use .safetensors");
            }
            arrays.put(e.getKey(), t.numpy());
        }
        Npz.save(path, arrays);
    }

    // ---- sniffing --------------------------------------------------------------------------

    private static byte[] head(Path path, int n) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** True when the zip's central directory names a top-level {@code <folder>/data.pkl}. */
    private static boolean isTorchArchive(MemorySegment file, String source) {
        try {
            return new ZipDirectory(file, source).entries().keySet().stream()
                    .anyMatch(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9);
        } catch (StateDictFormatException e) {
            return true; // a corrupt zip: let the .pth reader report it
        }
    }
}
