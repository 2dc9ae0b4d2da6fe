using EvoCode.Evaluators.Contract;
using static EvoCode.Sandbox.Tests.Programs;

namespace EvoCode.Sandbox.Tests;

/// <summary>One hostile program and the exact way its evaluation must end.</summary>
/// <param name="Name">What it tries.</param>
/// <param name="Source">The candidate.</param>
/// <param name="Expected">The outcome it must get.</param>
/// <param name="Rule">For a policy violation, the rule that must be cited.</param>
public sealed record HostileProgram(string Name, string Source, RunOutcome Expected, string? Rule = null)
{
    /// <summary>
    /// Hangs get the short wall limit they are meant to hit. Everything else gets room, so that on a starved
    /// machine (CI runs test modules in parallel on 2 cores) a stack overflow or an allocation bomb still ends the
    /// way it would on an idle one, not by the clock.
    /// </summary>
    public RunLimits Limits => Expected == RunOutcome.TimeLimit ? Programs.ShortLimits : Programs.ShortLimits with { WallTime = TimeSpan.FromSeconds(15) };

    public override string ToString() => Name;
}

/// <summary>Programs a language model might write to escape, exhaust or crash the sandbox.</summary>
public static class HostileCorpus
{
    public static IReadOnlyList<HostileProgram> All { get; } =
    [
        new("read /etc/passwd", Body("""return System.IO.File.ReadAllText("/etc/passwd");"""), RunOutcome.PolicyViolation, "FileSystem"),
        new("read the planted API key", Body("""return Environment.GetEnvironmentVariable("OPENAI_API_KEY") ?? "none";"""), RunOutcome.PolicyViolation, "Environment"),
        new("dump the environment", Body("""return Environment.GetEnvironmentVariables().Count;"""), RunOutcome.PolicyViolation, "Environment"),
        new("read /proc/self/environ", Body("""return System.IO.File.ReadAllBytes("/proc/self/environ").Length;"""), RunOutcome.PolicyViolation, "FileSystem"),
        new("write a file", Body("""System.IO.File.WriteAllText("/tmp/pwned", "x"); return 1;"""), RunOutcome.PolicyViolation, "FileSystem"),
        new("open a FileStream", Body("""using var s = new System.IO.FileStream("/tmp/x", System.IO.FileMode.Create); return 1;"""), RunOutcome.PolicyViolation, "FileSystem"),
        new("open a socket", Body("""var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp); s.Connect("127.0.0.1", 80); return 1;"""), RunOutcome.PolicyViolation, "Network"),
        new("HttpClient", Body("""return new System.Net.Http.HttpClient().GetStringAsync("http://127.0.0.1/").Result;"""), RunOutcome.PolicyViolation, "Network"),
        new("Process.Start", Body("""System.Diagnostics.Process.Start("/bin/sh", "-c id"); return 1;"""), RunOutcome.PolicyViolation, "Processes"),
        new("Type.GetType by string", Body("""return Type.GetType("System.IO.File")!.Name;"""), RunOutcome.PolicyViolation, "Reflection"),
        new("Type.InvokeMember", Body("""return typeof(string).InvokeMember("Empty", System.Reflection.BindingFlags.GetField, null, null, null)!;"""), RunOutcome.PolicyViolation, "Reflection"),
        new("GetType().GetMethods()", Body("""return context.GetType().GetMethods().Length;"""), RunOutcome.PolicyViolation, "Reflection"),
        new("Activator.CreateInstance", Body("""return Activator.CreateInstance<List<int>>().Count;"""), RunOutcome.PolicyViolation, "Reflection"),
        new("Unsafe.As type confusion", Body("""return System.Runtime.CompilerServices.Unsafe.As<Box>(new object()).Value;""", "public sealed class Box { public long Value; }"), RunOutcome.PolicyViolation, "UnsafeMemory"),
        new("MemoryMarshal reinterpret", Body("""var a = new int[4]; return System.Runtime.InteropServices.MemoryMarshal.Cast<int, long>(a).Length;"""), RunOutcome.PolicyViolation, "UnsafeMemory"),
        new("Vector.LoadUnsafe out-of-bounds read", Body("""var a = new long[1]; return System.Numerics.Vector.LoadUnsafe(ref a[0], 1_000_000).ToString();"""), RunOutcome.PolicyViolation, "UnsafeMemory"),
        new("pointers in unsafe code", Body("""unsafe { int x = 1; int* p = &x; return *p; }"""), RunOutcome.PolicyViolation, "UnsafeCode"),
        new("stackalloc bomb", Body("""Span<byte> s = stackalloc byte[100_000_000]; return s.Length;"""), RunOutcome.PolicyViolation, "UnsafeCode"),
        new("DllImport of libc", Body("""return getpid();""", """[System.Runtime.InteropServices.DllImport("libc")] private static extern int getpid();"""), RunOutcome.PolicyViolation, "Interop"),
        new("Environment.Exit", Body("""Environment.Exit(0); return 1;"""), RunOutcome.PolicyViolation, "Environment"),
        new("Environment.FailFast", Body("""Environment.FailFast("bye"); return 1;"""), RunOutcome.PolicyViolation, "Environment"),
        new("[ModuleInitializer]", Body("""return 1;""", """[System.Runtime.CompilerServices.ModuleInitializer] internal static void Init() { }"""), RunOutcome.PolicyViolation, "ModuleInitializer"),
        new("explicit layout type confusion", Body("""return new Overlay().Length;""", """[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)] public struct Overlay { [System.Runtime.InteropServices.FieldOffset(0)] public int Length; }"""), RunOutcome.PolicyViolation, "ExplicitLayout"),
        new("Console output", Body("""Console.WriteLine("hello"); return 1;"""), RunOutcome.PolicyViolation, "Console"),
        new("thread bomb", Body("""for (var i = 0; i < 10000; i++) new System.Threading.Thread(() => System.Threading.Thread.Sleep(100000)).Start(); return 1;"""), RunOutcome.PolicyViolation, "Threads"),
        new("task bomb", Body("""for (var i = 0; i < 10000; i++) System.Threading.Tasks.Task.Run(() => { while (true) { } }); return 1;"""), RunOutcome.PolicyViolation, "Threads"),
        new("Parallel.For", Body("""System.Threading.Tasks.Parallel.For(0, 100, i => { }); return 1;"""), RunOutcome.PolicyViolation, "Threads"),
        new("catastrophic regex backtracking", Body("""return System.Text.RegularExpressions.Regex.IsMatch(new string('a', 40) + "!", "^(a+)+$");"""), RunOutcome.PolicyViolation, "Regex"),
        new("finalizer that throws", Body("""new Bomb(); return 1;""", """public sealed class Bomb { ~Bomb() { throw new InvalidOperationException("finalizer"); } }"""), RunOutcome.PolicyViolation, "Finalizer"),
        new("GC abuse", Body("""for (var i = 0; i < 1000; i++) GC.Collect(2, GCCollectionMode.Forced, true, true); return 1;"""), RunOutcome.PolicyViolation, "GarbageCollector"),
        new("dynamic dispatch", Body("""dynamic d = 1; return d.ToString();"""), RunOutcome.PolicyViolation, "Reflection"),
        new("expression compile", Body("""System.Linq.Expressions.Expression<Func<int>> e = () => 1; return e.Compile()();"""), RunOutcome.PolicyViolation, "Reflection"),
        new("unseeded randomness", Body("""return new Random().Next();"""), RunOutcome.PolicyViolation, "Randomness"),
        new("static constructor that throws", Body("""return Broken.Value;""", """public static class Broken { public static readonly int Value = int.Parse("x"); }"""), RunOutcome.RuntimeError),
        new("static constructor that hangs", Body("""return Hang.Value;""", """public static class Hang { public static readonly int Value; static Hang() { while (true) { } } }"""), RunOutcome.TimeLimit),
        new("infinite loop", Body("""var i = 0L; while (true) { i++; }"""), RunOutcome.TimeLimit),
        new("allocation bomb", Body("""var keep = new List<long[]>(); while (true) { keep.Add(new long[1_000_000]); }"""), RunOutcome.MemoryLimit),
        new("one huge array", Body("""var huge = new long[1_500_000_000]; huge[^1] = 7; return huge[^1];"""), RunOutcome.MemoryLimit),
        new("allocation bomb that swallows OutOfMemoryException", Body("""var keep = new List<long[]>(); try { while (true) { keep.Add(new long[1_000_000]); } } catch (Exception) { keep.Clear(); } return "survived";"""), RunOutcome.MemoryLimit),
        new("unbounded recursion", Body("""return Down(0);""", """private static int Down(int n) => Down(n + 1) + 1;"""), RunOutcome.Crashed),
        new("output flood", Body("""while (true) { context.Output.WriteLine(new string('x', 1000)); }"""), RunOutcome.OutputLimit),
        new("output flood that swallows the limit", Body("""for (var i = 0; i < 1000; i++) { try { context.Output.Write(new string('y', 1000)); } catch (Exception) { } } return "fine";"""), RunOutcome.OutputLimit),
        new("huge return value", Body("""return new string('z', 10_000_000);"""), RunOutcome.OutputLimit),
        new("throws", Body("""throw new InvalidOperationException("candidate failure");"""), RunOutcome.RuntimeError),
        new("does not compile", Body("""return undefinedVariable;"""), RunOutcome.CompileError),
        new("no entry point", """public static class Other { public static int Run() => 1; }""", RunOutcome.RuntimeError),
        new("compiler bomb: deep nesting", Body("return " + new string('(', 500) + "1" + new string(')', 500) + ";"), RunOutcome.CompileError),
    ];

    public static TheoryData<HostileProgram> Data()
    {
        var data = new TheoryData<HostileProgram>();
        foreach (var program in All)
        {
            data.Add(program);
        }

        return data;
    }
}
