using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

/// <summary>Building invocations for the <c>invoke</c> harness.</summary>
internal static class Programs
{
    public static readonly RunLimits ShortLimits = new(TimeSpan.FromSeconds(2), 256L * 1024 * 1024, 64 * 1024);

    public const string Good = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using EvoCode.Evaluators.Contract;

        public static class Candidate
        {
            public static int[] Run(int n, HarnessContext context)
            {
                context.Output.WriteLine($"squares up to {n}");
                return Enumerable.Range(1, n).Select(i => i * i).ToArray();
            }
        }
        """;

    public static CandidateInvocation Invoke(string source, string argsJson = "[]", RunLimits? limits = null, int seed = 0) =>
        new(source, "invoke", JsonDocument.Parse($$"""{"type":"Candidate","method":"Run","args":{{argsJson}}}""").RootElement.Clone(), limits ?? ShortLimits, seed);

    /// <summary>Wraps a method body as <c>public static object Run(HarnessContext context)</c>.</summary>
    public static string Body(string body, string members = "", string usings = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using EvoCode.Evaluators.Contract;
        {{usings}}

        public static class Candidate
        {
            public static object Run(HarnessContext context)
            {
                {{body}}
            }
            {{members}}
        }
        """;
}
