package dev.tessera.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted pickle virtual machine, written from scratch: it interprets the opcodes torch.save
 * emits (protocols 2 to 5, minus the ones no state dict needs) and builds plain Java values. It
 * never imports or calls anything itself: every GLOBAL, REDUCE, BUILD, NEWOBJ and persistent id is
 * handed to {@link Hooks}, which decides what, if anything, it means. Unknown opcodes are refused.
 *
 * <p>Values: Python None is {@code null}, bool {@link Boolean}, int {@link Long}, float {@link Double},
 * str {@link String}, bytes {@code byte[]}, list {@link ArrayList}, dict {@link LinkedHashMap} (keys
 * limited to str, int and bool, so hashing never recurses into attacker-built nesting), tuple
 * {@link Tuple}. Memory use is bounded by the pickle's length: every value costs at least one opcode
 * byte, but a one-byte {@code EMPTY_DICT} builds a ~60-byte Java object, so the VM also charges
 * each value, container slot and memo entry an estimate of its heap cost and refuses a pickle whose
 * total passes {@link #budget} ({@value #BYTES_PER_PICKLE_BYTE} bytes per pickle byte, plus
 * {@value #BASE_BUDGET} bytes): a 16 MiB run of '}' fails after about 170 MiB, not 1 GiB.
 */
final class Pickle {
    /** What the VM cannot decide on its own; each call may throw to refuse. */
    interface Hooks {
        Object global(String module, String name, long offset);
        Object reduce(Object callable, Tuple args, long offset);
        Object persistentLoad(Object pid, long offset);
        Object build(Object target, Object state, long offset);
        Object newObj(Object cls, Tuple args, long offset);
    }

    /** An immutable Python tuple. Identity equality on purpose (see the class comment). */
    static final class Tuple {
        final List<Object> items;
        Tuple(List<Object> items) { this.items = List.copyOf(nullSafe(items)); }
        int size() { return items.size(); }
        Object get(int i) { return items.get(i) == NULL ? null : items.get(i); }
        private static List<Object> nullSafe(List<Object> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(o == null ? NULL : o);
            return out;
        }
    }

    static final long BYTES_PER_PICKLE_BYTE = 8;
    static final long BASE_BUDGET = 32L << 20;
    // Estimated heap bytes (compressed oops): an object header and fields, a reference slot, a map entry.
    private static final long OBJECT = 32, SLOT = 8, ENTRY = 48;

    private static final Object NULL = new Object(); // List.copyOf refuses null elements
    private static final Object MARK_SENTINEL = new Object();
    private static final int MAX_GLOBAL_LINE = 256;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment p;
    private final String source;
    private final Hooks hooks;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long pos;
    private long op; // offset of the opcode being run, for messages
    private long charged; // estimated heap bytes held by values built so far

    private Pickle(MemorySegment p, String source, Hooks hooks) {
        this.p = p;
        this.source = source;
        this.hooks = hooks;
    }

    /** Runs the pickle in {@code p} to its STOP and returns the value it leaves. */
    static Object load(MemorySegment p, String source, Hooks hooks) {
        return new Pickle(p, source, hooks).run();
    }

    private StateDictFormatException fail(String problem) {
        return new StateDictFormatException(source, op, problem);
    }

    /** The estimated heap bytes a pickle of {@code length} bytes may build. */
    static long budget(long length) {
        return BASE_BUDGET + BYTES_PER_PICKLE_BYTE * length;
    }

    /** Charges {@code bytes} of estimated heap use, refusing the pickle past its budget. */
    private void charge(long bytes) {
        charged += bytes;
        if (charged > budget(p.byteSize())) {
            throw fail("pickle of " + p.byteSize() + " bytes builds more than " + budget(p.byteSize())
                    + " bytes of objects (a state dict needs a small fraction of that); refusing it as a memory bomb");
        }
    }

    private Object run() {
        while (true) {
            op = pos;
            int code = u8();
            switch (code) {
                case 0x80 -> { int v = u8(); if (v > 5) throw fail("unsupported pickle protocol " + v); } // PROTO
                case 0x95 -> { need(8); pos += 8; } // FRAME: a length hint only
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) throw fail("STOP with " + stack.size() + " values on the stack");
                    return unwrap(stack.get(0));
                }
                case '(' -> { charge(2 * SLOT); marks.add(stack.size()); stack.add(MARK_SENTINEL); }
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(unwrap(peek()));
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'K' -> push((long) u8());
                case 'M' -> { need(2); charge(OBJECT); push((long) (p.get(I16, pos) & 0xFFFF)); pos += 2; }
                case 'J' -> { need(4); charge(OBJECT); push((long) p.get(I32, pos)); pos += 4; }
                case 0x8a -> { charge(OBJECT); push(long1()); } // LONG1
                case 'G' -> { need(8); charge(OBJECT); push(p.get(F64_BE, pos)); pos += 8; }
                case 'X' -> push(string(u32len())); // BINUNICODE
                case 0x8c -> push(string(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(string(u64len())); // BINUNICODE8
                case 'B' -> push(bytes(u32len())); // BINBYTES
                case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                case ')' -> { charge(2 * OBJECT); push(new Tuple(List.of())); }
                case 0x85, 0x86, 0x87 -> { // TUPLE1..3
                    int n = code - 0x84;
                    if (stack.size() - topMark() - 1 < n) throw fail("TUPLE" + n + " on a stack with too few values");
                    charge(3 * OBJECT + 2 * n * SLOT);
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < n; i++) items.add(0, pop());
                    push(new Tuple(items));
                }
                case 't' -> { List<Object> items = popMark(); charge(3 * OBJECT + 2 * items.size() * SLOT); push(new Tuple(items)); }
                case ']' -> { charge(2 * OBJECT); push(new ArrayList<>()); }
                case 'l' -> { List<Object> items = popMark(); charge(2 * OBJECT + items.size() * SLOT); push(new ArrayList<>(items)); }
                case '}' -> { charge(2 * OBJECT); push(new LinkedHashMap<>()); }
                case 'd' -> { List<Object> kv = popMark(); charge(2 * OBJECT); Map<Object, Object> m = new LinkedHashMap<>(); setItems(m, kv); push(m); }
                case 'a' -> { Object v = pop(); charge(SLOT); list(peek()).add(v); }
                case 'e' -> { List<Object> vs = popMark(); charge(vs.size() * SLOT); list(peek()).addAll(vs); }
                case 's' -> { Object v = pop(); Object k = pop(); setItems(dict(peek()), List.of(wrapNull(k), wrapNull(v))); }
                case 'u' -> { List<Object> kv = popMark(); setItems(dict(peek()), kv); }
                case 'q' -> { charge(ENTRY + OBJECT); memo.put((long) u8(), peek()); }
                case 'r' -> { charge(ENTRY + OBJECT); memo.put(u32(), peek()); }
                case 0x94 -> { charge(ENTRY + OBJECT); memo.put((long) memo.size(), peek()); } // MEMOIZE
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(u32()));
                case 'c' -> { String module = line(); String name = line(); push(hooks.global(module, name, op)); }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop(), module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) throw fail("STACK_GLOBAL needs two strings");
                    push(hooks.global(m, n, op));
                }
                case 'R' -> { Object args = pop(); Object f = pop(); charge(4 * OBJECT); push(hooks.reduce(f, tuple(args, "REDUCE"), op)); }
                case 0x81 -> { Object args = pop(); Object cls = pop(); charge(4 * OBJECT); push(hooks.newObj(cls, tuple(args, "NEWOBJ"), op)); }
                case 'b' -> { Object state = pop(); Object target = pop(); push(hooks.build(target, state, op)); }
                case 'Q' -> push(hooks.persistentLoad(pop(), op)); // BINPERSID
                default -> throw fail(String.format("unsupported or forbidden pickle opcode 0x%02x", code));
            }
        }
    }

    // ---- stack -----------------------------------------------------------------------------

    private void push(Object o) {
        charge(SLOT); // the stack slot; values are charged where they are built
        stack.add(o == null ? NULL : o);
    }

    private Object peek() {
        if (stack.isEmpty() || stack.getLast() == MARK_SENTINEL) throw fail("stack underflow");
        return unwrap(stack.getLast());
    }

    private Object pop() {
        Object o = peek();
        stack.removeLast();
        return o;
    }

    private int topMark() { return marks.isEmpty() ? -1 : marks.getLast(); }

    /** Pops everything above the topmost MARK and the mark itself. */
    private List<Object> popMark() {
        if (marks.isEmpty()) throw fail("no MARK on the stack");
        int m = marks.removeLast();
        List<Object> items = new ArrayList<>();
        for (int i = m + 1; i < stack.size(); i++) items.add(unwrap(stack.get(i)));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private static Object unwrap(Object o) { return o == NULL ? null : o; }

    private static Object wrapNull(Object o) { return o == null ? NULL : o; }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) throw fail("memo key " + key + " was never stored");
        return memo.get(key);
    }

    // ---- containers ------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (!(o instanceof ArrayList<?> l)) throw fail("APPEND to a " + typeName(o) + ", not a list");
        return (List<Object>) l;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (!(o instanceof LinkedHashMap<?, ?> m)) throw fail("SETITEM on a " + typeName(o) + ", not a dict");
        return (Map<Object, Object>) m;
    }

    private Tuple tuple(Object o, String what) {
        if (!(o instanceof Tuple t)) throw fail(what + " arguments are a " + typeName(o) + ", not a tuple");
        return t;
    }

    private void setItems(Map<Object, Object> m, List<Object> kv) {
        if (kv.size() % 2 != 0) throw fail("SETITEMS with an odd number of values");
        charge(kv.size() / 2 * ENTRY);
        for (int i = 0; i < kv.size(); i += 2) {
            Object k = unwrap(kv.get(i));
            if (!(k instanceof String || k instanceof Long || k instanceof Boolean)) {
                throw fail("dict key of type " + typeName(k) + " is not supported (only str, int and bool keys)");
            }
            m.put(k, unwrap(kv.get(i + 1)));
        }
    }

    static String typeName(Object o) {
        if (o == null) return "None";
        if (o instanceof Tuple) return "tuple";
        if (o instanceof List) return "list";
        if (o instanceof Map) return "dict";
        if (o instanceof String) return "str";
        if (o instanceof Long) return "int";
        return o.getClass().getSimpleName();
    }

    // ---- operands --------------------------------------------------------------------------

    private void need(long n) {
        if (n < 0 || pos > p.byteSize() - n) {
            throw fail("truncated pickle: operand of " + n + " bytes runs past the end (" + p.byteSize() + " bytes)");
        }
    }

    private int u8() { need(1); return p.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF; }

    private long u32() { need(4); long v = p.get(I32, pos) & 0xFFFFFFFFL; pos += 4; return v; }

    private long u32len() { return u32(); }

    private long u64len() {
        need(8);
        long v = p.get(I64, pos);
        pos += 8;
        if (v < 0) throw fail("negative length " + v);
        return v;
    }

    private long long1() {
        int n = u8();
        if (n > 8) throw fail("LONG1 integer of " + n + " bytes does not fit in 64 bits");
        need(n);
        long v = 0;
        for (int i = 0; i < n; i++) v |= (p.get(ValueLayout.JAVA_BYTE, pos + i) & 0xFFL) << (8 * i);
        if (n > 0 && n < 8 && (p.get(ValueLayout.JAVA_BYTE, pos + n - 1) & 0x80) != 0) v |= -1L << (8 * n); // sign-extend
        pos += n;
        return v;
    }

    private byte[] bytes(long n) {
        need(n); // also caps the allocation by the pickle's size
        charge(OBJECT + n);
        byte[] b = p.asSlice(pos, n).toArray(ValueLayout.JAVA_BYTE);
        pos += n;
        return b;
    }

    private String string(long n) {
        long at = pos;
        byte[] b = bytes(n);
        charge(OBJECT + n); // the String beside its transient bytes
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new StateDictFormatException(source, at, "string is not valid UTF-8");
        }
    }

    /** A newline-terminated ASCII line (GLOBAL's module and name). */
    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') return sb.toString();
            if (c < 0x20 || c > 0x7e) throw fail("GLOBAL name contains byte 0x" + Integer.toHexString(c));
            if (sb.length() >= MAX_GLOBAL_LINE) throw fail("GLOBAL name longer than " + MAX_GLOBAL_LINE + " characters");
            sb.append((char) c);
        }
    }
}
