using System.Text.RegularExpressions;

namespace Sessions.Packaging.Tests;

/// <summary>
/// Every C# code block in the README files and docs/ is a copy of a region of docs/samples, which the build compiles:
/// so a block that no longer compiles, or was edited in the docs only, fails here with the line that differs.
/// </summary>
/// <remarks>
/// A region is the lines between <c>// &lt;name&gt;</c> and <c>// &lt;/name&gt;</c> in a .cs file under docs/samples.
/// A block matches a region when its lines, without indentation, are a run of the region's lines, and its
/// <c>using</c> directives (which cannot stand inside a method) are exactly those of the region's file: so a block
/// pasted into a stock <c>dotnet new web</c> app (whose implicit usings the samples project shares) compiles with what
/// it shows. Nothing else may supply a using: the samples declare no global usings and live outside the
/// <c>Sessions</c> namespace (whose types a nested namespace would see without a using), and the samples project
/// fails on a using its file does not need (IDE0005).
/// </remarks>
public sealed partial class DocumentationSnippetTests
{
    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in DocumentedMarkdownFiles())
        {
            data.Add(Path.GetRelativePath(RepositoryRoot.Path, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_csharp_block_is_compiled_in_docs_samples(string markdownFile)
    {
        var regions = SnippetRegions();
        var failures = new List<string>();
        foreach (var block in CSharpBlocks(RepositoryRoot.Combine(markdownFile)))
        {
            if (!regions.Any(region => region.Contains(block)))
            {
                var closest = regions.OrderByDescending(region => region.MatchingPrefix(block)).First();
                var differing = block.Code.ElementAtOrDefault(closest.MatchingPrefix(block))
                    ?? $"the usings: the block shows [{string.Join(" ", block.Usings)}], the file has [{string.Join(" ", closest.FileUsings.Order(StringComparer.Ordinal))}]";
                failures.Add($"{markdownFile}:{block.Line}: the ```csharp block is in no region of docs/samples; closest is " +
                    $"<{closest.Name}> in {Path.GetRelativePath(RepositoryRoot.Path, closest.File)}, which differs at: {differing}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void The_check_sees_the_readme_and_the_docs_blocks()
    {
        var blocks = DocumentedMarkdownFiles().SelectMany(CSharpBlocks).ToList();

        Assert.Contains(blocks, b => b.File.EndsWith("README.md", StringComparison.Ordinal) && Path.GetDirectoryName(b.File) == RepositoryRoot.Path);
        Assert.True(blocks.Count >= 10, $"only {blocks.Count} ```csharp blocks found");
        Assert.True(SnippetRegions().Count >= 10, "docs/samples has fewer regions than expected");
    }

    [Fact]
    public void No_using_is_hidden_from_the_blocks()
    {
        var samples = RepositoryRoot.Combine("docs", "samples");
        var files = Directory.EnumerateFiles(samples, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)).ToList();
        var project = Directory.EnumerateFiles(samples, "*.csproj", SearchOption.AllDirectories).Single(f => !IsBuildOutput(f));

        Assert.NotEmpty(files);
        Assert.All(files, file =>
        {
            var text = File.ReadAllText(file);
            Assert.False(GlobalUsingPattern().IsMatch(text), $"{file} declares a global using, which no block shows");
            Assert.False(SessionsNamespacePattern().IsMatch(text), $"{file} is inside the Sessions namespace, whose types it sees without the using its blocks need");
        });
        Assert.DoesNotContain("<Using ", File.ReadAllText(project), StringComparison.Ordinal);
    }

    [Fact]
    public void Region_names_are_unique_and_closed()
    {
        var names = SnippetRegions().GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(names);
    }

    private static IEnumerable<string> DocumentedMarkdownFiles()
    {
        var root = RepositoryRoot.Path;
        var files = new List<string> { Path.Combine(root, "README.md") };
        if (Directory.Exists(Path.Combine(root, "docs")))
        {
            files.AddRange(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)));
        }

        // The package READMEs ship inside the packages; the samples' READMEs describe their own code and are not checked.
        files.AddRange(Directory.EnumerateDirectories(root, "Sessions.*").Select(d => Path.Combine(d, "README.md")).Where(File.Exists));

        return files.Order(StringComparer.Ordinal);
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");

    private static List<CodeBlock> CSharpBlocks(string markdownFile)
    {
        var blocks = new List<CodeBlock>();
        var lines = File.ReadAllLines(markdownFile);
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = FencePattern().Match(lines[i]);
            if (!fence.Success || fence.Groups["lang"].Value.ToUpperInvariant() is not ("CSHARP" or "CS" or "C#"))
            {
                continue;
            }

            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].TrimStart().StartsWith(fence.Groups["fence"].Value, StringComparison.Ordinal))
            {
                end++;
            }

            var body = lines[start..end].Select(l => l.Trim()).ToList();
            var usings = body.Where(l => UsingDirectivePattern().IsMatch(l)).ToList();
            var code = body.Where(l => !UsingDirectivePattern().IsMatch(l)).SkipWhile(l => l.Length == 0).Reverse().SkipWhile(l => l.Length == 0).Reverse().ToList();
            blocks.Add(new CodeBlock(markdownFile, start, usings, code));
            i = end;
        }

        return blocks;
    }

    private static List<SnippetRegion> SnippetRegions()
    {
        var regions = new List<SnippetRegion>();
        var samples = RepositoryRoot.Combine("docs", "samples");
        foreach (var file in Directory.EnumerateFiles(samples, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)))
        {
            var lines = File.ReadAllLines(file).Select(l => l.Trim()).ToList();
            var usings = lines.Where(l => UsingDirectivePattern().IsMatch(l)).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < lines.Count; i++)
            {
                var open = RegionStartPattern().Match(lines[i]);
                if (!open.Success)
                {
                    continue;
                }

                var name = open.Groups["name"].Value;
                var close = lines.IndexOf($"// </{name}>", i + 1);
                Assert.True(close > i, $"{file}:{i + 1}: region <{name}> is never closed with // </{name}>");
                regions.Add(new SnippetRegion(name, file, usings, lines[(i + 1)..close].Where(l => !RegionMarkerPattern().IsMatch(l)).ToList()));
            }
        }

        return regions;
    }

    [GeneratedRegex(@"^\s*(?<fence>```+|~~~+)\s*(?<lang>[^\s`]+)")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^using\s+(static\s+)?([A-Za-z_][\w]*\s*=\s*)?[A-Za-z_][\w.]*(<[\w.,\s<>]*>)?\s*;$")]
    private static partial Regex UsingDirectivePattern();

    [GeneratedRegex(@"^\s*global\s+using\s", RegexOptions.Multiline)]
    private static partial Regex GlobalUsingPattern();

    [GeneratedRegex(@"^\s*namespace\s+Sessions\b", RegexOptions.Multiline)]
    private static partial Regex SessionsNamespacePattern();

    [GeneratedRegex(@"^// <(?<name>[A-Za-z0-9][\w.-]*)>$")]
    private static partial Regex RegionStartPattern();

    [GeneratedRegex(@"^// </?[A-Za-z0-9][\w.-]*>$")]
    private static partial Regex RegionMarkerPattern();

    private sealed record CodeBlock(string File, int Line, IReadOnlyList<string> Usings, IReadOnlyList<string> Code);

    private sealed record SnippetRegion(string Name, string File, IReadOnlySet<string> FileUsings, IReadOnlyList<string> Lines)
    {
        public bool Contains(CodeBlock block) =>
            FileUsings.SetEquals(block.Usings) && MatchingPrefix(block) == block.Code.Count;

        /// <summary>The most leading lines of the block found as a run anywhere in the region.</summary>
        public int MatchingPrefix(CodeBlock block)
        {
            var best = 0;
            for (var start = 0; start < Lines.Count; start++)
            {
                var n = 0;
                while (n < block.Code.Count && start + n < Lines.Count && Lines[start + n] == block.Code[n])
                {
                    n++;
                }

                best = Math.Max(best, n);
            }

            return best;
        }
    }
}
