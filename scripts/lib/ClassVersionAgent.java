import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * A Java agent for fuzz campaigns on JDK 24+: Jazzer 0.24.0's bundled ASM reads class files up to
 * major version 67 (Java 23) and skips newer ones, so nothing compiled for Java 25 would get
 * coverage instrumentation. Registered on the command line, this transformer runs before Jazzer's
 * (agents added later chain after it) and relabels version 68/69 class files as 67; the format did
 * not change between those versions, and a JDK loads older versions unchanged. Used only by
 * scripts/fuzz, never by the library or the test suite.
 */
public final class ClassVersionAgent {
    private ClassVersionAgent() {}

    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                if (bytes.length < 8 || (bytes[0] & 0xFF) != 0xCA || (bytes[1] & 0xFF) != 0xFE) return null;
                int major = ((bytes[6] & 0xFF) << 8) | (bytes[7] & 0xFF);
                if (major <= 67 || major > 69) return null;
                byte[] out = bytes.clone();
                out[6] = 0;
                out[7] = 67;
                return out;
            }
        }, true);
    }
}
