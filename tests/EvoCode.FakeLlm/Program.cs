using System.Globalization;
using EvoCode.FakeLlm;

var port = 5599;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port")
    {
        port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
}

await using var server = await FakeLlmServer.StartAsync(port);
Console.WriteLine($"Fake LLM listening on {server.BaseAddress}");
Console.WriteLine($"  openai: Endpoint {server.OpenAIEndpoint}  (POST /v1/chat/completions)");
Console.WriteLine($"  azure:  Endpoint {server.BaseAddress}  (POST /openai/deployments/{{deployment}}/chat/completions)");
Console.WriteLine($"  ollama: Endpoint {server.BaseAddress}  (POST /api/chat)");
Console.WriteLine("Every request gets a SEARCH/REPLACE diff (or a full program) that perturbs one number in the EVOLVE block. Ctrl+C stops.");
await server.WaitForShutdownAsync();
