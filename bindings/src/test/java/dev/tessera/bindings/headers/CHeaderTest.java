package dev.tessera.bindings.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header reader on small headers written here, so that the conformance check is known to catch
 * what it exists for: a renamed symbol behind a macro, a typedef chain, a wrong width, a missing argument.
 */
class CHeaderTest {
    @TempDir
    Path dir;

    private CHeader read(String text) throws Exception {
        Files.writeString(dir.resolve("inc.h"), """
                #ifndef INC_H
                #define INC_H
                typedef unsigned long long dptr_v2;   /* a 64-bit device pointer */
                typedef dptr_v2 dptr;
                typedef struct stream_st *stream_t;
                typedef enum status_enum { OK = 0, BAD = 1 << 3, WORSE, WORST = BAD | 0x10 } status;
                #define API_PTDS(api) api ## _ptds
                #define API_PLAIN(api) api
                #define ID_BYTES 128
                typedef struct { char internal[ID_BYTES]; } uid;
                #endif
                """);
        Files.writeString(dir.resolve("top.h"), text);
        return CHeader.read(List.of(dir), "top.h");
    }

    @Test
    void typedefsMacrosAndConditionalsResolveAsACompilerWould() throws Exception {
        CHeader h = read("""
                #include "inc.h"
                #include <stdlib.h>
                #define APIENTRY __attribute__((visibility("default")))
                #if defined(PER_THREAD)
                #define memcpyHtoD API_PTDS(memcpyHtoD_v2)
                #else
                #define memcpyHtoD API_PLAIN(memcpyHtoD_v2)
                #endif
                #define memAlloc memAlloc_v2
                // a comment with a prototype in it: status fake(int);
                APIENTRY status memAlloc(dptr *p, size_t bytes);
                status APIENTRY memcpyHtoD(dptr dst,
                                          const void *src, size_t n, stream_t s);
                extern const char *errorString(status s);
                status setByte(dptr d, unsigned char v, unsigned int n);
                status init(void);
                status launch(uid id, float f, double g, short h);
                static inline int helper(int x) { return x + 1; }
                #if 0
                status hidden(int x);
                #endif
                """);
        assertEquals(List.of("memAlloc_v2", "memcpyHtoD_v2", "errorString", "setByte", "init", "launch"), List.copyOf(h.functions().keySet()));
        CHeader.Prototype cp = h.functions().get("memcpyHtoD_v2");
        assertEquals(List.of("I64", "PTR", "I64", "PTR"), cp.params().stream().map(h::kind).toList());
        assertEquals("I32", h.kind(cp.returnType()));
        assertEquals("PTR", h.kind(h.functions().get("errorString").returnType()));
        assertEquals(List.of("I64", "I8", "I32"), h.functions().get("setByte").params().stream().map(h::kind).toList());
        assertEquals(List.of(), h.functions().get("init").params());
        assertEquals(List.of("STRUCT(128)", "F32", "F64", "I16"), h.functions().get("launch").params().stream().map(h::kind).toList());
        assertEquals(8L, h.constant("BAD"));
        assertEquals(9L, h.constant("WORSE"));
        assertEquals(24L, h.constant("WORST"));
        assertEquals(128L, h.constant("ID_BYTES"));
    }

    @Test
    void aDriftedBindingIsReported() throws Exception {
        CHeader h = read("""
                #include "inc.h"
                status memcpyHtoD_v2(dptr dst, const void *src, size_t n, stream_t s);
                """);
        FunctionDescriptor right = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        assertEquals(List.of(), HeaderConformanceTest.compare(h, "memcpyHtoD_v2", right));
        // CUdeviceptr bound as a 32-bit int: the classic drift of a hand-kept binding
        FunctionDescriptor narrow = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        List<String> p1 = HeaderConformanceTest.compare(h, "memcpyHtoD_v2", narrow);
        assertEquals(1, p1.size(), p1.toString());
        assertTrue(p1.get(0).contains("argument 0 is I32") && p1.get(0).contains("I64"), p1.get(0));
        // the stream argument forgotten
        List<String> p2 = HeaderConformanceTest.compare(h, "memcpyHtoD_v2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG));
        assertTrue(p2.get(0).contains("binds 3 arguments but the header has 4"), p2.toString());
        // a wrong return type, and a name the header does not have
        assertTrue(HeaderConformanceTest.compare(h, "memcpyHtoD_v2", right.changeReturnLayout(ValueLayout.ADDRESS)).get(0)
                .contains("returns PTR"));
        assertTrue(HeaderConformanceTest.compare(h, "memcpyHtoD", right).get(0).contains("no prototype"));
        assertEquals("STRUCT(128)", HeaderConformanceTest.kind(MemoryLayout.structLayout(MemoryLayout.sequenceLayout(128, ValueLayout.JAVA_BYTE))));
    }
}
