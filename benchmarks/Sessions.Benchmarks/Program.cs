using BenchmarkDotNet.Running;

namespace Sessions.Benchmarks;

public static class Program
{
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --filter '*HotPath*' [--job short]
    // dotnet run -c Release --project benchmarks/Sessions.Benchmarks -- --self-check   (set-up checks only, no timing)
    public static void Main(string[] args)
    {
        if (args is ["--self-check"])
        {
            var benchmarks = new HotPathBenchmarks();
            benchmarks.Setup();
            benchmarks.Cleanup();
            Console.WriteLine("Set-up checks passed.");
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
