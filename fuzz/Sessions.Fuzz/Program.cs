using SharpFuzz;
using Sessions.Fuzz;

// Usage:
//   Sessions.Fuzz fuzz <token|json>               under afl-fuzz: one input per run, from SharpFuzz
//   Sessions.Fuzz seeds <token|json> <directory>   writes the starting corpus
//   Sessions.Fuzz replay <token|json> <path>...    runs files (or every file of directories) without afl-fuzz and
//                                                  prints each exception with its input; exits 1 when any threw
var command = args.Length > 0 ? args[0] : "fuzz";
var mode = FuzzTarget.ParseMode(args.Length > 1 ? args[1] : null);

switch (command)
{
    case "fuzz":
        // Instrumented code may only run inside the callback, once SharpFuzz has set up afl-fuzz's shared memory.
        FuzzTarget? fuzzed = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            (fuzzed ??= new FuzzTarget()).Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), mode);
        });
        return 0;

    case "seeds":
        Seeds.Write(args[2], mode);
        return 0;

    case "replay":
        var target = new FuzzTarget();
        var failures = 0;
        var files = args.Skip(2).SelectMany(path => Directory.Exists(path) ? Directory.GetFiles(path) : [path]).Where(f => !f.EndsWith("README.txt", StringComparison.Ordinal)).ToList();
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            try
            {
                target.Run(input, mode);
            }
#pragma warning disable CA1031 // Replaying reports every exception, whatever its type.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures++;
                Console.WriteLine($"{file}: {ex.GetType().Name}: {ex.Message}");
                Console.WriteLine($"  input (base64): {Convert.ToBase64String(input)}");
                Console.WriteLine(ex.StackTrace);
            }
        }

        Console.WriteLine($"replayed {files.Count} inputs ({mode}): {failures} threw");
        return failures == 0 ? 0 : 1;

    default:
        Console.Error.WriteLine($"Unknown command '{command}': use fuzz, seeds or replay.");
        return 2;
}
