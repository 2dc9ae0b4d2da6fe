using System.Collections.Frozen;

namespace EvoCode.Sandbox.Worker.Policy;

/// <summary>
/// The allowlist of APIs a candidate may use, by type (namespace + metadata name with arity, outermost
/// type for nested ones) and, for a few types, by member. Shared by the semantic check (what the source
/// names) and the metadata check (what the emitted IL references), so both walls agree.
/// </summary>
internal static class ApiPolicy
{
    /// <summary>Namespaces whose every type is allowed.</summary>
    private static readonly FrozenSet<string> s_allowedNamespaces = new[]
    {
        "System.Collections.Generic",
        "System.Numerics",
        "System.Diagnostics.CodeAnalysis",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Types a candidate may name and use.</summary>
    private static readonly FrozenSet<string> s_allowedTypes = BuildAllowedTypes();

    /// <summary>
    /// Types and members the compiler synthesizes (records, iterators, interpolated strings, collection
    /// expressions, indexers): allowed in emitted metadata only, never when the source names them.
    /// </summary>
    private static readonly FrozenDictionary<string, FrozenSet<string>?> s_compilerHelpers = new Dictionary<string, FrozenSet<string>?>
    {
        ["System.Runtime.CompilerServices.RuntimeHelpers"] = Members("InitializeArray", "CreateSpan", "GetSubArray", "EnsureSufficientExecutionStack"),
        ["System.Runtime.CompilerServices.DefaultInterpolatedStringHandler"] = null,
        ["System.Runtime.CompilerServices.IsExternalInit"] = null,
        ["System.Runtime.CompilerServices.CompilerGeneratedAttribute"] = null,
        ["System.Runtime.CompilerServices.ExtensionAttribute"] = null,
        ["System.Runtime.CompilerServices.IteratorStateMachineAttribute"] = null,
        ["System.Runtime.CompilerServices.TupleElementNamesAttribute"] = null,
        ["System.Runtime.CompilerServices.SwitchExpressionException"] = null,
        ["System.Runtime.CompilerServices.NullableAttribute"] = null,
        ["System.Runtime.CompilerServices.NullableContextAttribute"] = null,
        ["System.Runtime.CompilerServices.IsReadOnlyAttribute"] = null,
        ["System.Runtime.CompilerServices.IsByRefLikeAttribute"] = null,
        ["System.Runtime.CompilerServices.RequiredMemberAttribute"] = null,
        ["System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute"] = null,
        ["System.Runtime.CompilerServices.RefSafetyRulesAttribute"] = null,
        ["System.Runtime.CompilerServices.ScopedRefAttribute"] = null,
        ["System.Runtime.CompilerServices.ParamCollectionAttribute"] = null,
        ["System.Runtime.CompilerServices.CompilationRelaxationsAttribute"] = null,
        ["System.Runtime.CompilerServices.RuntimeCompatibilityAttribute"] = null,
        ["System.Runtime.CompilerServices.IsUnmanagedAttribute"] = null,
        ["System.Runtime.CompilerServices.ExtensionMarkerAttribute"] = null,
        ["System.Runtime.CompilerServices.PreserveBaseOverridesAttribute"] = null,
        ["System.Diagnostics.DebuggableAttribute"] = null,
        ["System.Diagnostics.DebuggerHiddenAttribute"] = null,
        ["System.Diagnostics.DebuggerBrowsableAttribute"] = null,
        ["System.Diagnostics.DebuggerBrowsableState"] = null,
        ["System.Diagnostics.DebuggerStepThroughAttribute"] = null,
        ["System.Diagnostics.DebuggerNonUserCodeAttribute"] = null,
        ["System.Diagnostics.DebuggerDisplayAttribute"] = null,
        ["System.Reflection.DefaultMemberAttribute"] = null,
        ["System.Type"] = Members("GetTypeFromHandle", "op_Equality", "op_Inequality"),
        ["System.RuntimeTypeHandle"] = null,
        ["System.RuntimeFieldHandle"] = null,
        ["System.Environment"] = Members("get_CurrentManagedThreadId"),
        ["System.Runtime.InteropServices.CollectionsMarshal"] = Members("SetCount", "AsSpan"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Members refused on otherwise allowed types: type name → member metadata name → rule.</summary>
    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> s_refusedMembers = new Dictionary<string, FrozenDictionary<string, string>>
    {
        ["System.Object"] = Rules(("GetType", PolicyRules.Reflection)),
        ["System.Exception"] = Rules(("get_TargetSite", PolicyRules.Reflection)),
        ["System.Array"] = Rules(("CreateInstance", PolicyRules.Reflection), ("CreateInstanceFromArrayType", PolicyRules.Reflection)),
        ["System.Random"] = Rules(("get_Shared", PolicyRules.Randomness)),
        // Unchecked loads and stores through a ref and an offset: arbitrary memory access without 'unsafe'.
        ["System.Numerics.Vector"] = VectorMemoryRules(),
        ["System.Numerics.Vector`1"] = VectorMemoryRules(),
        ["System.Numerics.Vector2"] = VectorMemoryRules(),
        ["System.Numerics.Vector3"] = VectorMemoryRules(),
        ["System.Numerics.Vector4"] = VectorMemoryRules(),

        // Process-wide culture state would outlive the run in a reused worker.
        ["System.Globalization.CultureInfo"] = Rules(("set_CurrentCulture", PolicyRules.Environment), ("set_CurrentUICulture", PolicyRules.Environment),
            ("set_DefaultThreadCurrentCulture", PolicyRules.Environment), ("set_DefaultThreadCurrentUICulture", PolicyRules.Environment)),
        ["System.Enum"] = Rules(("GetValues", PolicyRules.Reflection), ("GetNames", PolicyRules.Reflection), ("GetUnderlyingType", PolicyRules.Reflection), ("GetValuesAsUnderlyingType", PolicyRules.Reflection)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Types where only the listed members are allowed.</summary>
    private static readonly FrozenDictionary<string, (FrozenSet<string> Members, string Rule)> s_memberAllowlists = new Dictionary<string, (FrozenSet<string>, string)>
    {
        // The harness's output channel: writing only; nothing that reaches files or encodings.
        ["System.IO.TextWriter"] = (Members("Write", "WriteLine", "Flush")!, PolicyRules.FileSystem),
        ["EvoCode.Evaluators.Contract.HarnessContext"] = (Members("get_Random", "get_Output", "Deconstruct", "Equals", "GetHashCode", "ToString")!, PolicyRules.ApiNotAllowed),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Checks a type. Returns <c>null</c> when allowed, else the rule it breaks.</summary>
    /// <param name="fullName">Namespace-qualified metadata name of the outermost type, such as <c>System.Collections.Generic.List`1</c>.</param>
    /// <param name="compilerSynthesized">The reference comes from emitted metadata, where compiler helpers are tolerated.</param>
    public static string? CheckType(string fullName, bool compilerSynthesized)
    {
        if (s_allowedTypes.Contains(fullName) || s_memberAllowlists.ContainsKey(fullName))
        {
            return null;
        }

        var ns = Namespace(fullName);
        if (s_allowedNamespaces.Contains(ns))
        {
            return null;
        }

        if (compilerSynthesized && s_compilerHelpers.ContainsKey(fullName))
        {
            return null;
        }

        return RuleFor(fullName);
    }

    /// <summary>Checks a member of a type. Returns <c>null</c> when allowed, else the rule it breaks.</summary>
    /// <param name="typeFullName">As in <see cref="CheckType"/>.</param>
    /// <param name="memberName">Metadata name: <c>.ctor</c>, <c>get_Item</c>, <c>Write</c>.</param>
    /// <param name="parameterCount">Number of parameters of a method, or -1 when not a method.</param>
    /// <param name="compilerSynthesized">As in <see cref="CheckType"/>.</param>
    public static string? CheckMember(string typeFullName, string memberName, int parameterCount, bool compilerSynthesized)
    {
        if (compilerSynthesized && s_compilerHelpers.TryGetValue(typeFullName, out var helperMembers))
        {
            if (helperMembers is null || helperMembers.Contains(memberName))
            {
                return null;
            }

            // A helper type is tolerated for its synthesized members only.
            if (!s_allowedTypes.Contains(typeFullName))
            {
                return RuleFor(typeFullName);
            }
        }

        if (CheckType(typeFullName, compilerSynthesized) is { } typeRule)
        {
            return typeRule;
        }

        if (s_refusedMembers.TryGetValue(typeFullName, out var refused) && refused.TryGetValue(memberName, out var rule))
        {
            return rule;
        }

        if (s_memberAllowlists.TryGetValue(typeFullName, out var only) && !only.Members.Contains(memberName))
        {
            return only.Rule;
        }

        // Randomness comes from the harness or from an explicit seed, so runs are reproducible.
        if (typeFullName == "System.Random" && memberName == ".ctor" && parameterCount == 0)
        {
            return PolicyRules.Randomness;
        }

        return null;
    }

    /// <summary>The rule a refused type falls under, for a message the model can act on.</summary>
    public static string RuleFor(string fullName)
    {
        var ns = Namespace(fullName);
        return fullName switch
        {
            _ when ns.StartsWith("System.IO", StringComparison.Ordinal) => PolicyRules.FileSystem,
            _ when ns.StartsWith("System.Net", StringComparison.Ordinal) => PolicyRules.Network,
            _ when fullName.StartsWith("System.Diagnostics.Process", StringComparison.Ordinal) => PolicyRules.Processes,
            "System.Environment" or "System.AppContext" => PolicyRules.Environment,
            "System.Type" or "System.Activator" or "System.AppDomain" or "System.Delegate" or "System.MulticastDelegate"
                or "System.RuntimeTypeHandle" or "System.RuntimeMethodHandle" or "System.RuntimeFieldHandle" or "System.TypedReference" => PolicyRules.Reflection,
            _ when ns.StartsWith("System.Reflection", StringComparison.Ordinal) || ns.StartsWith("System.Linq.Expressions", StringComparison.Ordinal)
                || ns.StartsWith("System.Runtime.Loader", StringComparison.Ordinal) || ns.StartsWith("Microsoft.CSharp", StringComparison.Ordinal) => PolicyRules.Reflection,
            "System.Runtime.CompilerServices.Unsafe" or "System.Runtime.InteropServices.MemoryMarshal" or "System.Runtime.InteropServices.CollectionsMarshal"
                or "System.Buffer" => PolicyRules.UnsafeMemory,
            "System.Runtime.CompilerServices.ModuleInitializerAttribute" => PolicyRules.ModuleInitializer,
            "System.Runtime.InteropServices.StructLayoutAttribute" or "System.Runtime.InteropServices.FieldOffsetAttribute" => PolicyRules.ExplicitLayout,
            "System.IntPtr" or "System.UIntPtr" => PolicyRules.Interop,
            _ when ns.StartsWith("System.Runtime.InteropServices", StringComparison.Ordinal) => PolicyRules.Interop,
            _ when ns.StartsWith("System.Threading", StringComparison.Ordinal) => PolicyRules.Threads,
            "System.Console" => PolicyRules.Console,
            "System.GC" or "System.GCMemoryInfo" or "System.WeakReference" or "System.WeakReference`1" => PolicyRules.GarbageCollector,
            _ when ns.StartsWith("System.Text.RegularExpressions", StringComparison.Ordinal) => PolicyRules.Regex,
            "System.DateTime" or "System.DateTimeOffset" or "System.TimeProvider" or "System.Diagnostics.Stopwatch" => PolicyRules.Clock,
            _ => PolicyRules.ApiNotAllowed,
        };
    }

    /// <summary>A short reason for a rule, for messages.</summary>
    public static string Explain(string rule) => rule switch
    {
        PolicyRules.FileSystem => "candidates cannot touch files; write logs through HarnessContext.Output",
        PolicyRules.Network => "candidates cannot use the network",
        PolicyRules.Processes => "candidates cannot start or inspect processes",
        PolicyRules.Environment => "candidates cannot read or change the environment",
        PolicyRules.Reflection => "reflection, typeof and dynamic code are not available",
        PolicyRules.UnsafeMemory => "raw memory access is not available",
        PolicyRules.UnsafeCode => "unsafe code, pointers and stackalloc are not available",
        PolicyRules.Interop => "native interop is not available",
        PolicyRules.ModuleInitializer => "module initializers are not available",
        PolicyRules.ExplicitLayout => "explicit struct layouts are not available",
        PolicyRules.Threads => "threads, tasks, timers and locks are not available; the harness calls you on one thread",
        PolicyRules.Console => "Console is not available; write through HarnessContext.Output",
        PolicyRules.GarbageCollector => "the garbage collector cannot be controlled",
        PolicyRules.Regex => "regular expressions are not available",
        PolicyRules.Randomness => "use HarnessContext.Random or new Random(seed)",
        PolicyRules.Clock => "clocks are not available; runs must be reproducible",
        PolicyRules.Finalizer => "finalizers are not available",
        PolicyRules.Directive => "#line and similar directives are not available",
        PolicyRules.SourceLimit => "the source exceeds a size or nesting limit",
        _ => "this API is not on the sandbox allowlist (math, collections, LINQ, spans, System.Numerics, StringBuilder)",
    };

    private static string Namespace(string fullName)
    {
        var dot = fullName.LastIndexOf('.');
        return dot < 0 ? string.Empty : fullName[..dot];
    }

    private static FrozenDictionary<string, string> VectorMemoryRules() => Rules(
        ("LoadUnsafe", PolicyRules.UnsafeMemory), ("StoreUnsafe", PolicyRules.UnsafeMemory), ("Load", PolicyRules.UnsafeMemory), ("Store", PolicyRules.UnsafeMemory),
        ("LoadAligned", PolicyRules.UnsafeMemory), ("StoreAligned", PolicyRules.UnsafeMemory), ("LoadAlignedNonTemporal", PolicyRules.UnsafeMemory),
        ("StoreAlignedNonTemporal", PolicyRules.UnsafeMemory));

    private static FrozenSet<string>? Members(params string[] names) => names.ToFrozenSet(StringComparer.Ordinal);

    private static FrozenDictionary<string, string> Rules(params (string Member, string Rule)[] rules) =>
        rules.ToFrozenDictionary(r => r.Member, r => r.Rule, StringComparer.Ordinal);

    private static FrozenSet<string> BuildAllowedTypes()
    {
        var types = new List<string>
        {
            "System.Object", "System.String", "System.Boolean", "System.Char", "System.Byte", "System.SByte",
            "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64",
            "System.Int128", "System.UInt128", "System.Half", "System.Single", "System.Double", "System.Decimal",
            "System.Void", "System.ValueType", "System.Enum", "System.Math", "System.MathF", "System.Array",
            "System.Span`1", "System.ReadOnlySpan`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.MemoryExtensions",
            "System.ArraySegment`1", "System.Index", "System.Range", "System.Nullable`1", "System.Nullable",
            "System.Predicate`1", "System.Comparison`1", "System.Converter`2",
            "System.IComparable", "System.IComparable`1", "System.IEquatable`1", "System.IFormattable", "System.IFormatProvider",
            "System.ISpanFormattable", "System.IUtf8SpanFormattable", "System.IParsable`1", "System.ISpanParsable`1", "System.IDisposable",
            "System.Convert", "System.BitConverter", "System.HashCode", "System.Lazy`1", "System.TimeSpan", "System.Random",
            "System.StringComparison", "System.StringComparer", "System.StringSplitOptions", "System.MidpointRounding",
            "System.FlagsAttribute", "System.ObsoleteAttribute", "System.AttributeUsageAttribute", "System.AttributeTargets",
            "System.Exception", "System.SystemException", "System.ArgumentException", "System.ArgumentNullException",
            "System.ArgumentOutOfRangeException", "System.InvalidOperationException", "System.NotSupportedException",
            "System.NotImplementedException", "System.IndexOutOfRangeException", "System.DivideByZeroException",
            "System.OverflowException", "System.ArithmeticException", "System.FormatException", "System.NullReferenceException",
            "System.InvalidCastException", "System.TupleExtensions",
            "System.Collections.IEnumerable", "System.Collections.IEnumerator", "System.Collections.IComparer",
            "System.Collections.IEqualityComparer", "System.Collections.IStructuralEquatable", "System.Collections.IStructuralComparable",
            "System.Collections.BitArray",
            "System.Linq.Enumerable", "System.Linq.IOrderedEnumerable`1", "System.Linq.IGrouping`2", "System.Linq.ILookup`2", "System.Linq.Lookup`2",
            "System.Text.StringBuilder", "System.Text.Rune",
            "System.Globalization.CultureInfo", "System.Globalization.NumberStyles", "System.Globalization.NumberFormatInfo",
            "System.Globalization.CompareOptions",
        };

        for (var arity = 0; arity <= 16; arity++)
        {
            types.Add(arity == 0 ? "System.Action" : $"System.Action`{arity}");
            types.Add($"System.Func`{arity + 1}");
        }

        for (var arity = 1; arity <= 8; arity++)
        {
            types.Add($"System.ValueTuple`{arity}");
            types.Add($"System.Tuple`{arity}");
        }

        types.Add("System.ValueTuple");
        types.Add("System.Tuple");
        return types.ToFrozenSet(StringComparer.Ordinal);
    }
}
