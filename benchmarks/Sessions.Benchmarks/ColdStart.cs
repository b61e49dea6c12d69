using System.Diagnostics;
using System.Globalization;
using Sessions.Jwt;

namespace Sessions.Benchmarks;

/// <summary>
/// Cold start: how long the first sign and the first verify take in a fresh process (JIT, type loading, crypto
/// initialisation included). Each sample is a new process, so nothing is warm.
/// </summary>
public static class ColdStart
{
    private const string Secret = "cold-start-secret-with-at-least-32-bytes!";

    /// <summary>Runs <paramref name="samples"/> fresh processes and prints each measurement and the median and worst.</summary>
    public static int Run(int samples)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var assembly = typeof(ColdStart).Assembly.Location;
        var sign = new List<double>();
        var verify = new List<double>();
        var startup = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                start.ArgumentList.Add(assembly);
            }

            start.ArgumentList.Add("--cold-start-once");
            using var process = Process.Start(start)!;
            var line = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            var parts = line.Split(' ');
            sign.Add(double.Parse(parts[0], CultureInfo.InvariantCulture));
            verify.Add(double.Parse(parts[1], CultureInfo.InvariantCulture));
            startup.Add(double.Parse(parts[2], CultureInfo.InvariantCulture));
            Console.WriteLine($"sample {i + 1}: first sign {parts[0]} ms, first verify {parts[1]} ms (start-up {parts[2]} ms)");
        }

        Console.WriteLine($"first sign:   median {Median(sign):0.00} ms, worst {sign.Max():0.00} ms (goal < 20 ms)");
        Console.WriteLine($"first verify: median {Median(verify):0.00} ms, worst {verify.Max():0.00} ms (goal < 20 ms)");
        Console.WriteLine($"start-up (issuer + validator built and warmed): median {Median(startup):0.00} ms, worst {startup.Max():0.00} ms");
        return sign.Max() < 20 && verify.Max() < 20 ? 0 : 1;
    }

    /// <summary>
    /// One measurement in this (fresh) process: prints "sign-ms verify-ms startup-ms". Start-up is building the issuer
    /// and validator, as a host does when it starts (it warms the crypto library and the hot path); sign and verify
    /// are the first calls after that.
    /// </summary>
    public static void Once()
    {
        var clock = Stopwatch.StartNew();
        var options = new JwtSessionOptions { Secret = Secret };
        using var issuer = new JwtSessionIssuer(options);
        using var validator = new JwtSessionValidator(options);
        var startup = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        var token = issuer.Issue("3f2504e0-4f89-11d3-9a0c-0305e82c3301").Token;
        var signed = clock.Elapsed.TotalMilliseconds;

        clock.Restart();
        var valid = validator.Validate(token).IsValid;
        var verified = clock.Elapsed.TotalMilliseconds;
        if (!valid)
        {
            throw new InvalidOperationException("The cold-start token did not validate.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{signed:0.000} {verified:0.000} {startup:0.000}"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
