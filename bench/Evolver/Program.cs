using System.Globalization;
using EvoCode.Bench.Evolver;

// dotnet run -c Release --project bench/Evolver -- selection
// dotnet run -c Release --project bench/Evolver -- run sqlite|postgres [evaluations=5000] [concurrency=2] [tuningShare=0] [seed=42]
switch (args.FirstOrDefault())
{
    case "selection":
        SelectionBenchmark.Run();
        break;
    case "run":
        await RunBenchmark.RunAsync(
            args.ElementAtOrDefault(1) ?? "sqlite",
            int.Parse(args.ElementAtOrDefault(2) ?? "5000", CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(3) ?? "2", CultureInfo.InvariantCulture),
            double.Parse(args.ElementAtOrDefault(4) ?? "0", CultureInfo.InvariantCulture),
            int.Parse(args.ElementAtOrDefault(5) ?? "42", CultureInfo.InvariantCulture));
        break;
    default:
        await Console.Error.WriteLineAsync("usage: selection | run sqlite|postgres [evaluations] [concurrency] [tuningShare] [seed]");
        return 2;
}

return 0;
