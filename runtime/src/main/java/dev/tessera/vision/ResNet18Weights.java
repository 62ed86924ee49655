package dev.tessera.vision;

import dev.tessera.Tensor;
import dev.tessera.io.StateDicts;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Weights for {@link ResNet#resnet18(ResNet18Weights)}: torchvision's ResNet18_Weights.DEFAULT
 * (IMAGENET1K_V1) read from the torch.hub cache, or any .pth / .safetensors file. Nothing is
 * downloaded: a missing file fails with the path and how to obtain it.
 */
public final class ResNet18Weights {
    /** The checkpoint torchvision 0.13+ downloads for ResNet18_Weights.IMAGENET1K_V1. */
    public static final String FILE_NAME = "resnet18-f37072fd.pth";
    public static final String URL = "https://download.pytorch.org/models/" + FILE_NAME;

    /** $TORCH_HOME/hub/checkpoints/resnet18-f37072fd.pth, resolved from the environment when used. */
    public static final ResNet18Weights DEFAULT = new ResNet18Weights(null);

    private final Path file;

    private ResNet18Weights(Path file) { this.file = file; }

    /** Weights from a state dict file (.pth written by torch.save, or .safetensors) with torchvision's keys. */
    public static ResNet18Weights fromFile(Path file) {
        if (file == null) throw new IllegalArgumentException("file must not be null");
        return new ResNet18Weights(file);
    }

    /** The file these weights are read from. */
    public Path path() { return file != null ? file : hubCheckpoint(System.getenv(), System.getProperty("user.home")); }

    public boolean isAvailable() { return Files.isRegularFile(path()); }

    /** Reads the state dict (fresh tensors on every call). */
    public Map<String, Tensor> stateDict() {
        requireFile();
        return StateDicts.load(path());
    }

    /** Fails with a message naming the path and how to get the file when it is absent. */
    void requireFile() {
        Path p = path();
        if (Files.isRegularFile(p)) return;
        String how = file != null
                ? "Check the path, or save a state dict there (torch.save(model.state_dict(), path) or StateDicts.save)."
                : "Tessera does not download weights. On a machine with network access run once\n"
                        + "  python3 -c \"import torchvision; torchvision.models.resnet18(weights='DEFAULT')\"\n"
                        + "(or fetch " + URL + ") and copy " + FILE_NAME + " to " + p + "\n"
                        + "(the directory follows torch.hub: $TORCH_HOME/hub/checkpoints, TORCH_HOME defaulting to "
                        + "${XDG_CACHE_HOME:-~/.cache}/torch), or use ResNet18Weights.fromFile(path).";
        throw new UncheckedIOException("ResNet-18 weights not found: " + p + "\n" + how, new NoSuchFileException(p.toString()));
    }

    /** torch.hub.get_dir() + "/checkpoints/" + FILE_NAME, as torch.hub._get_torch_home computes it. */
    static Path hubCheckpoint(Map<String, String> env, String userHome) {
        String torchHome = env.get("TORCH_HOME");
        if (torchHome == null) {
            String cache = env.getOrDefault("XDG_CACHE_HOME", "~/.cache");
            torchHome = cache + "/torch";
        }
        return Path.of(expandUser(torchHome, userHome), "hub", "checkpoints", FILE_NAME);
    }

    /** os.path.expanduser for "~" and "~/..." (the forms torch.hub produces). */
    private static String expandUser(String p, String userHome) {
        if (p.equals("~")) return userHome;
        if (p.startsWith("~/")) return userHome + p.substring(1);
        return p;
    }

    @Override
    public String toString() { return file != null ? "ResNet18Weights.fromFile(" + file + ")" : "ResNet18Weights.DEFAULT"; }
}
