using BenchmarkDotNet.Running;

namespace Sessions.Benchmarks;

public static class Program
{
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --filter '*HotPath*' [--job short]
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --filter '*SignClaimsBreakdown*'   (what five claims add to a sign)
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --filter '*TelemetryBenchmarks*' --job short --inProcess   (metrics and span per call)
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --self-check   (set-up checks only, no timing)
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --cold-start [samples]   (first sign/verify per fresh process)
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --redis [single] [cluster]   (Redis store: throughput, propagation, memory)
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --store-memory [count]   (bytes per revocation and chain)
    public static int Main(string[] args)
    {
        if (args is ["--store-memory", ..])
        {
            return StoreMemory.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
        }

        if (args is ["--cold-start-once"])
        {
            ColdStart.Once();
            return 0;
        }

        if (args is ["--cold-start", ..])
        {
            return ColdStart.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
        }

        if (args is ["--redis", .. var targets])
        {
            return RedisMeasurements.RunAsync(targets).GetAwaiter().GetResult();
        }

        if (args is ["--self-check"])
        {
            var benchmarks = new HotPathBenchmarks();
            benchmarks.Setup();
            benchmarks.Cleanup();
            Console.WriteLine("Set-up checks passed.");
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
